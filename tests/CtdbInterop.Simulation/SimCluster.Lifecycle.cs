using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Simulation;

internal sealed partial class SimCluster
{
    private readonly int[] _instances = new int[16];

    public int StockRecoveriesByInactiveNode { get; set; }

    /// <summary>
    /// Stock 4.22.6 peers that announced themselves leader while their own election was open
    /// (classic: "assume we win" plus the 1 s broadcast loop; lock mode: a pending attempt taken
    /// for held, bug 16152). Nodes can then disagree on the leader until a leader timeout.
    /// </summary>
    public int StockPrematureLeaderships { get; private set; }

    public TimeSpan? LastStockPrematureLeadership { get; private set; }

    public void NoteStockPrematureLeadership(uint pnn, string why)
    {
        StockPrematureLeaderships++;
        LastStockPrematureLeadership = Scheduler.Now;
        Timeline.Add(Scheduler.Now, pnn, $"stock peer announces itself leader {why} (4.22.6 behaviour)");
    }

    public int FaultsApplied { get; private set; }

    /// <summary>The leader most live daemons believe in (for faults aimed at "the leader").</summary>
    public uint BelievedLeader()
    {
        Span<int> votes = stackalloc int[Nodes.Length];
        var best = CtdbConstants.UnknownPnn;
        var bestVotes = 0;
        foreach (var node in Nodes)
        {
            if (node.Daemon is { IsDead: false } host && host.Daemon.ObservedLeader is var leader && leader < Nodes.Length)
            {
                votes[(int)leader]++;
                if (votes[(int)leader] > bestVotes)
                {
                    bestVotes = votes[(int)leader];
                    best = leader;
                }
            }
        }

        return best;
    }

    public void StartDaemon(SimNode node)
    {
        if (!node.CtdbdUp || node.Daemon is { IsDead: false })
        {
            return;
        }

        var host = new SimDaemonHost(this, node, Config.Options[node.Pnn], _instances[node.Pnn]++);
        node.Daemon = host;
        host.Start();
    }

    /// <summary>The daemon exited or died; ctdbd starts a new one about a second later.</summary>
    public void DaemonGone(SimNode node, SimDaemonHost host)
    {
        if (ReferenceEquals(node.Daemon, host))
        {
            node.Daemon = null;
        }

        Scheduler.At(TimeSpan.FromSeconds(1), () => StartDaemon(node));
    }

    public void Apply(Fault fault)
    {
        var pnn = fault.Node == Fault.CurrentLeader ? BelievedLeader() : fault.Node;
        if (pnn >= Nodes.Length)
        {
            pnn = 0;
        }

        var node = Nodes[pnn];
        FaultsApplied++;
        Timeline.Add(Scheduler.Now, pnn, $"FAULT {fault.Kind}{(fault.Kind == FaultKind.CutLink ? $" to n{fault.Other}" : "")}{(fault.Seconds > 0 ? $" for {fault.Seconds} s" : "")}");
        var old = node.OwnFlags;
        switch (fault.Kind)
        {
            case FaultKind.Stop when node.CtdbdUp:
                node.OwnFlags |= NodeFlags.Stopped;
                node.RecoveryMode = CtdbRecoveryMode.Active;
                OwnFlagsChanged(node, old);
                RequestTakeoverRun(pnn);
                break;
            case FaultKind.Continue when node.CtdbdUp:
                node.OwnFlags &= ~NodeFlags.Stopped;
                OwnFlagsChanged(node, old);
                RequestTakeoverRun(pnn);
                break;
            case FaultKind.Ban:
                Ban(node, (uint)fault.Seconds);
                RequestTakeoverRun(pnn);
                break;
            case FaultKind.Unban:
                Unban(node);
                break;
            case FaultKind.Disconnect:
                foreach (var other in Nodes)
                {
                    SetLink(pnn, other.Pnn, false);
                }

                Scheduler.At(TimeSpan.FromSeconds(fault.Seconds), () => Reconnect(pnn));
                break;
            case FaultKind.Reconnect:
                Reconnect(pnn);
                break;
            case FaultKind.CutLink when fault.Other != pnn && fault.Other < Nodes.Length:
                SetLink(pnn, fault.Other, false);
                Scheduler.At(TimeSpan.FromSeconds(fault.Seconds), () => SetLink(pnn, fault.Other, true));
                break;
            case FaultKind.CtdbdRestart when node.CtdbdUp:
                node.Daemon?.Kill();
                node.Daemon = null;
                node.CtdbdUp = false;
                Scheduler.At(TimeSpan.FromSeconds(fault.Seconds), () => BringUp(node));
                break;
            case FaultKind.DaemonRestart:
                node.Daemon?.Terminate();
                break;
            case FaultKind.DaemonKill when node.Daemon is { } host:
                host.Kill();
                DaemonGone(node, host);
                break;
            case FaultKind.LockLoss:
                LockHolder?.Lose();
                break;
            case FaultKind.LeaderRoleOff:
                node.LeaderRole = false;
                break;
            case FaultKind.LeaderRoleOn:
                node.LeaderRole = true;
                break;
            case FaultKind.SlowPeer:
                SlowUntil[pnn] = Scheduler.NowTicks + TimeSpan.FromSeconds(fault.Seconds).Ticks;
                break;
            case FaultKind.SlowLock:
                LockSlowUntil = Scheduler.NowTicks + TimeSpan.FromSeconds(fault.Seconds).Ticks;
                break;
            case FaultKind.LockSpawnFailure:
                LockSpawnFailsUntil[pnn] = Scheduler.NowTicks + TimeSpan.FromSeconds(fault.Seconds).Ticks;
                break;
            case FaultKind.TruncatedMessages or FaultKind.GarbledMessages:
                SpoiledMessagesUntil[pnn] = Scheduler.NowTicks + TimeSpan.FromSeconds(fault.Seconds).Ticks;
                SpoiledMessages[pnn] = fault.Kind;
                break;
            case FaultKind.Lossy:
                LossProbability = 0.02;
                Scheduler.At(TimeSpan.FromSeconds(fault.Seconds), () => LossProbability = 0);
                break;
        }
    }

    private void Reconnect(uint pnn)
    {
        foreach (var other in Nodes)
        {
            SetLink(pnn, other.Pnn, true);
        }
    }

    private void BringUp(SimNode node)
    {
        if (node.CtdbdUp)
        {
            return;
        }

        node.ResetForRestart();
        node.CtdbdUp = true;
        Timeline.Add(Scheduler.Now, node.Pnn, "ctdbd started");
        Scheduler.At(TimeSpan.FromMilliseconds(100), () => StartDaemon(node));
    }

    /// <summary>Faults stop: links up, ctdbds up, roles back, stopped and banned nodes continued, slowness, loss and spoiled messages off.</summary>
    public void Heal()
    {
        Timeline.Add(Scheduler.Now, uint.MaxValue, "HEAL: faults stop");
        LossProbability = 0;
        LockSlowUntil = 0;
        Array.Clear(SlowUntil);
        Array.Clear(LockSpawnFailsUntil);
        Array.Clear(SpoiledMessagesUntil);
        foreach (var node in Nodes)
        {
            Reconnect(node.Pnn);
            node.LeaderRole = true;
            BringUp(node);
            var old = node.OwnFlags;
            if ((node.OwnFlags & NodeFlags.Stopped) != 0)
            {
                node.OwnFlags &= ~NodeFlags.Stopped;
                OwnFlagsChanged(node, old);
            }

            Unban(node);
            if (node.Daemon is null)
            {
                StartDaemon(node);
            }
        }
    }

    /// <summary>The settled leader is stopped, banned or loses the leader role (exercises resignation).</summary>
    public void ApplyFinal(FinalAction action, uint leader)
    {
        var node = Nodes[leader];
        var old = node.OwnFlags;
        Timeline.Add(Scheduler.Now, leader, $"FINAL {action} on the leader");
        switch (action)
        {
            case FinalAction.Stop:
                node.OwnFlags |= NodeFlags.Stopped;
                node.RecoveryMode = CtdbRecoveryMode.Active;
                OwnFlagsChanged(node, old);
                RequestTakeoverRun(leader);
                break;
            case FinalAction.Ban:
                Ban(node, 3600);
                RequestTakeoverRun(leader);
                break;
            case FinalAction.LeaderRoleOff:
                node.LeaderRole = false;
                break;
        }
    }
}
