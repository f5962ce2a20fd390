using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Simulation;

/// <summary>
/// The simulated cluster: nodes, links (per-direction FIFO with delay and loss), the one
/// cluster mutex, the volatile database's per-record dmaster, and the helpers' effects.
/// Everything happens on <see cref="Scheduler"/>.
/// </summary>
internal sealed partial class SimCluster
{
    public const int RecordCount = 16;
    public const string LockPath = "/sim/cluster.lock";

    private readonly long[,] _linkFree;
    private readonly bool[,] _linkUp;
    private readonly Random _network;

    public SimCluster(SimScheduler scheduler, ScheduleConfig config, Timeline timeline)
    {
        Scheduler = scheduler;
        Config = config;
        Timeline = timeline;
        var n = config.NodeCount;
        Nodes = Enumerable.Range(0, n).Select(i => new SimNode((uint)i, n)).ToArray();
        _linkFree = new long[n, n];
        _linkUp = new bool[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                _linkUp[i, j] = true;
            }
        }

        _network = new Random(config.Seed ^ 0x5eed);
        SlowUntil = new long[n];
        LockSpawnFailsUntil = new long[n];
        SpoiledMessagesUntil = new long[n];
        SpoiledMessages = new FaultKind[n];
        Dmaster = new uint[RecordCount];
        var initial = new Random(config.Seed ^ 0x1417);
        var generation = (uint)initial.Next(2, int.MaxValue);
        foreach (var node in Nodes)
        {
            node.Generation = generation;
            node.VnnMap = Nodes.Select(x => x.Pnn).ToArray();
        }

        for (var r = 0; r < RecordCount; r++)
        {
            Dmaster[r] = (uint)initial.Next(n);
        }
    }

    public SimScheduler Scheduler { get; }

    public ScheduleConfig Config { get; }

    public Timeline Timeline { get; }

    public SimNode[] Nodes { get; }

    public uint[] Dmaster { get; }

    /// <summary>Per node: virtual time (ticks) until which its links are slow.</summary>
    public long[] SlowUntil { get; }

    public long LockSlowUntil { get; set; }

    /// <summary>Per node: virtual time (ticks) until which its mutex helper cannot be started.</summary>
    public long[] LockSpawnFailsUntil { get; }

    /// <summary>Per node: virtual time (ticks) until which its daemon's messages arrive spoiled, and how.</summary>
    public long[] SpoiledMessagesUntil { get; }

    /// <summary>Per node: <see cref="FaultKind.TruncatedMessages"/> or <see cref="FaultKind.GarbledMessages"/>.</summary>
    public FaultKind[] SpoiledMessages { get; }

    public double LossProbability { get; set; }

    /// <summary>The mutex holder's attempt, or null when the lock is free.</summary>
    public SimMutex? LockHolder { get; set; }

    public int TakeoverRuns { get; set; }

    public int Recoveries { get; set; }

    /// <summary>Set by a hook when an invariant fails (the first failure ends the run).</summary>
    public Violation? Violation { get; private set; }

    public void Fail(string invariant, uint node, string detail)
    {
        if (Violation is null)
        {
            Violation = new Violation(invariant, node, Scheduler.Now, detail);
            Timeline.Add(Scheduler.Now, node, $"VIOLATION {invariant}: {detail}");
        }
    }

    public bool LinkUp(uint from, uint to) => _linkUp[from, to];

    public void SetLink(uint a, uint b, bool up)
    {
        _linkUp[a, b] = up;
        _linkUp[b, a] = up;
    }

    /// <summary>ctdbd <paramref name="from"/> can reach ctdbd <paramref name="to"/> right now.</summary>
    public bool Connected(uint from, uint to) =>
        from == to ? Nodes[from].CtdbdUp : Nodes[from].CtdbdUp && Nodes[to].CtdbdUp && _linkUp[from, to];

    /// <summary>GET_NODEMAP as ctdbd <paramref name="at"/> answers it.</summary>
    public NodeMapView NodeMapAt(uint at)
    {
        var node = Nodes[at];
        var entries = new NodeEntry[Nodes.Length];
        for (var k = 0; k < Nodes.Length; k++)
        {
            var flags = k == at ? node.OwnFlags : node.View[k];
            if (k != at && !Connected(at, (uint)k))
            {
                flags |= NodeFlags.Disconnected;
            }

            entries[k] = new NodeEntry((uint)k, flags);
        }

        return new NodeMapView(entries);
    }

    /// <summary>
    /// Carries a packet from ctdbd <paramref name="from"/> to ctdbd <paramref name="to"/>: FIFO
    /// per direction and delayed. <paramref name="arrive"/> runs on arrival if the link and both
    /// ends are still up, else <paramref name="lost"/> (ctdbd fails controls to a node that
    /// went away). Messages (<paramref name="lossy"/>) may also be dropped while the Lossy fault lasts.
    /// </summary>
    public void Transmit(uint from, uint to, Action arrive, Action? lost = null, bool lossy = false)
    {
        if (lossy && LossProbability > 0 && _network.NextDouble() < LossProbability)
        {
            return;
        }

        var now = Scheduler.NowTicks;
        var delay = TimeSpan.FromMicroseconds(_network.Next(200, 3000)).Ticks;
        if (SlowUntil[from] > now || SlowUntil[to] > now)
        {
            delay += TimeSpan.FromMilliseconds(_network.Next(100, 900)).Ticks;
        }

        var at = Math.Max(now + delay, _linkFree[from, to]);
        _linkFree[from, to] = at;
        Scheduler.At(TimeSpan.FromTicks(at - now), () =>
        {
            if (Connected(from, to))
            {
                arrive();
            }
            else
            {
                lost?.Invoke();
            }
        });
    }

    /// <summary>Delivers a message from ctdbd <paramref name="from"/> to the daemons of <paramref name="destination"/>.</summary>
    public void SendMessage(uint from, uint destination, MessagePacket packet)
    {
        switch (destination)
        {
            case CtdbConstants.BroadcastAll:
            case CtdbConstants.BroadcastConnected:
            case CtdbConstants.BroadcastActive:
                foreach (var node in Nodes)
                {
                    Route(from, node.Pnn, packet);
                }

                break;
            case CtdbConstants.CurrentNode:
                Route(from, from, packet);
                break;
            default:
                if (destination < Nodes.Length)
                {
                    Route(from, destination, packet);
                }

                break;
        }
    }

    private void Route(uint from, uint to, MessagePacket packet)
    {
        if (from == to)
        {
            Nodes[to].Daemon?.Deliver(packet);
            return;
        }

        if (!Connected(from, to))
        {
            return;
        }

        Transmit(from, to, () => Nodes[to].Daemon?.Deliver(packet), lossy: true);
    }

    /// <summary>The node's own flags changed: ctdbd tells its own recovery daemon (PUSH_NODE_FLAGS).</summary>
    public static void OwnFlagsChanged(SimNode node, NodeFlags old)
    {
        if (node.OwnFlags != old)
        {
            node.Daemon?.Deliver(Messages.PushNodeFlags(new NodeFlagChange(node.Pnn, node.OwnFlags, old)));
        }
    }

    /// <summary>What the ctdb tool does after stop/continue/ban/unban: ask the daemons for a takeover run.</summary>
    public void RequestTakeoverRun(uint from) =>
        SendMessage(from, CtdbConstants.BroadcastConnected, Messages.TakeoverRun(new SrvidMessage(from, 0xF300_0000_0000_0001UL)));

    public void Ban(SimNode node, uint seconds)
    {
        if (!node.CtdbdUp)
        {
            return;
        }

        var old = node.OwnFlags;
        node.OwnFlags |= NodeFlags.Banned;
        node.RecoveryMode = CtdbRecoveryMode.Active;
        node.BanEpoch++;
        var epoch = node.BanEpoch;
        Timeline.Add(Scheduler.Now, node.Pnn, $"ctdbd: banned for {seconds} s");
        OwnFlagsChanged(node, old);
        Scheduler.At(TimeSpan.FromSeconds(seconds), () =>
        {
            if (node.BanEpoch == epoch && node.CtdbdUp && (node.OwnFlags & NodeFlags.Banned) != 0)
            {
                Unban(node);
            }
        });
    }

    public void Unban(SimNode node)
    {
        if (!node.CtdbdUp || (node.OwnFlags & NodeFlags.Banned) == 0)
        {
            return;
        }

        var old = node.OwnFlags;
        node.OwnFlags &= ~NodeFlags.Banned;
        node.BanEpoch++;
        Timeline.Add(Scheduler.Now, node.Pnn, "ctdbd: ban ended");
        OwnFlagsChanged(node, old);
    }

    /// <summary>
    /// The recovery helper's outcome (run on <paramref name="leader"/>): every active node it
    /// reaches gets the new vnn map and generation and returns to NORMAL, and the leader
    /// becomes dmaster of every record. Fails if an active node is unreachable.
    /// </summary>
    public bool CompleteRecovery(uint leader, uint generation)
    {
        var self = Nodes[leader];
        if (!self.CtdbdUp)
        {
            return false;
        }

        var map = NodeMapAt(leader);
        var active = map.Nodes.Where(e => (e.Flags & NodeFlags.Inactive) == 0).Select(e => e.Pnn).ToArray();
        foreach (var pnn in active)
        {
            if (!Connected(leader, pnn))
            {
                return false;
            }
        }

        foreach (var pnn in active)
        {
            var node = Nodes[pnn];
            node.Generation = generation;
            node.VnnMap = active;
            node.RecoveryMode = Config.Sabotage == Sabotage.RecoveryLeavesRecoveryMode ? CtdbRecoveryMode.Active : CtdbRecoveryMode.Normal;
        }

        for (var r = 0; r < Dmaster.Length; r++)
        {
            Dmaster[r] = leader;
        }

        Recoveries++;
        Timeline.Add(Scheduler.Now, leader, $"recovery helper: generation {generation}, vnn map [{string.Join(',', active)}], dmaster of every record");
        return true;
    }
}

/// <summary>The first invariant failure of a run.</summary>
internal sealed record Violation(string Invariant, uint Node, TimeSpan At, string Detail)
{
    public override string ToString() => $"{Invariant} on node {Node} at {At.TotalSeconds:0.000} s: {Detail}";
}
