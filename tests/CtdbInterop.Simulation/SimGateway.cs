using System.Collections.Immutable;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Cluster;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;

namespace CtdbInterop.Simulation;

/// <summary>
/// A daemon's connection to its simulated ctdbd. Controls to the own node are answered at
/// once (atomically, within the daemon's step); controls to other nodes travel the links
/// both ways and time out after the control timeout; messages go through ctdbd's routing.
/// </summary>
internal sealed class SimGateway(SimDaemonHost host) : ICtdbdGateway
{
    private SimCluster Cluster => host.Cluster;

    public uint OwnPnn => host.Pnn;

    public string SocketPath => $"/sim/node{host.Pnn}.socket";

    public bool IsConnected => !host.IsDead && host.Node.CtdbdUp;

    public TimeSpan ControlTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task<uint> ReadOwnPnnAsync(CancellationToken ct) => Local(CtdbControl.GetPnn, n => n.Pnn, ct);

    private Task<int> RecdPingAsync(CancellationToken ct) => Local(CtdbControl.RecdPing, _ => 0, ct);

    private Task<int> GetDebugLevelAsync(CancellationToken ct) => Local(CtdbControl.GetDebug, _ => Cluster.Timeline.Enabled ? 10 : 0, ct);

    public Task<RecdTunables> GetTunablesAsync(CancellationToken ct) => Local(CtdbControl.GetAllTunables, _ => Cluster.Config.Tunables, ct);

    private Task<CtdbRunstate> GetRunstateAsync(CancellationToken ct) => Local(CtdbControl.GetRunstate, _ => CtdbRunstate.Running, ct);

    public Task<string?> GetReclockAsync(CancellationToken ct) =>
        Local(CtdbControl.GetReclockFile, _ => Cluster.Config.LockMode ? SimCluster.LockPath : null, ct);

    public Task<NodeMapView> GetNodeMapAsync(uint pnn, CancellationToken ct) => Control(CtdbControl.GetNodemap, pnn, n => Cluster.NodeMapAt(n.Pnn), ct);

    public Task<NodeMapView> GetNodesFileAsync(CancellationToken ct) =>
        Local(CtdbControl.GetNodesFile, _ => new NodeMapView(Cluster.Nodes.Select(n => new NodeEntry(n.Pnn, 0)).ToArray()), ct);

    private Task<VnnMapView> GetVnnMapAsync(uint pnn, CancellationToken ct) =>
        Control(CtdbControl.Getvnnmap, pnn, n => new VnnMapView(n.Generation, n.VnnMap), ct);

    public Task<CtdbRecoveryMode> GetRecoveryModeAsync(uint pnn, CancellationToken ct) => Control(CtdbControl.GetRecmode, pnn, n => n.RecoveryMode, ct);

    public async Task<bool> SetRecoveryModeAsync(IEnumerable<uint> pnns, CtdbRecoveryMode mode, CancellationToken ct)
    {
        var all = true;
        foreach (var ok in await Many(CtdbControl.SetRecmode, pnns, n => { n.RecoveryMode = mode; return true; }, ct))
        {
            all &= ok.Value;
        }

        return all;
    }

    public Task FreezeAsync(CancellationToken ct) => Local(CtdbControl.Freeze, _ => 0, ct);

    public async Task<IReadOnlyDictionary<uint, CtdbCapabilities>?> GetCapabilitiesAsync(IEnumerable<uint> pnns, CancellationToken ct)
    {
        var results = await Many(CtdbControl.GetCapabilities, pnns, n => n.Capabilities, ct);
        return results.All(r => r.Value) ? results.ToDictionary(r => r.Key, r => r.Result) : null;
    }

    public async Task<IReadOnlyList<uint>> ModifyFlagsAsync(IEnumerable<uint> targets, NodeFlagChange change, CancellationToken ct)
    {
        var results = await Many(CtdbControl.ModifyFlags, targets, n =>
        {
            if (n.Pnn != change.Pnn && change.Pnn < n.View.Length)
            {
                n.View[change.Pnn] = change.NewFlags & ~NodeFlags.Disconnected;
            }

            return 0;
        }, ct);
        return results.Where(r => !r.Value).Select(r => r.Key).ToList();
    }

    public Task BanAsync(uint pnn, uint seconds, CancellationToken ct) =>
        Control(CtdbControl.SetBanState, pnn, n =>
        {
            if (seconds == 0)
            {
                Cluster.Unban(n);
            }
            else
            {
                Cluster.Timeline.Add(Cluster.Scheduler.Now, host.Pnn, $"bans node {n.Pnn} for {seconds} s");
                Cluster.Ban(n, seconds);
            }

            return 0;
        }, ct);

    // The daemon's read rounds, made of the simulated single controls: the ping first, then
    // the rest at once, each failing on its own.
    public async Task<LocalStateReads> ReadLocalStateAsync(uint ownPnn, CancellationToken ct)
    {
        var pinged = (await Reads.FetchAsync(async () =>
        {
            await RecdPingAsync(ct);
            return true;
        })).Succeeded;
        var level = Reads.FetchAsync(() => GetDebugLevelAsync(ct));
        var tunables = Reads.FetchAsync(() => GetTunablesAsync(ct));
        var runstate = Reads.FetchAsync(() => GetRunstateAsync(ct));
        var map = Reads.FetchAsync(() => GetNodeMapAsync(ownPnn, ct));
        var mode = Reads.FetchAsync(() => GetRecoveryModeAsync(CtdbConstants.CurrentNode, ct));
        await Task.WhenAll(level, tunables, runstate, map, mode);
        return new LocalStateReads(pinged, await level, await tunables, await runstate, await map, await mode);
    }

    public async Task<LeaderStateReads> ReadLeaderStateAsync(LeaderReadTargets targets, CancellationToken ct)
    {
        var maps = FetchFromEachAsync(targets.ConnectedOthers, pnn => GetNodeMapAsync(pnn, ct));
        var localVnn = Reads.FetchAsync(() => GetVnnMapAsync(targets.OwnPnn, ct));
        var modes = FetchFromEachAsync(targets.ActiveNodes, pnn => GetRecoveryModeAsync(pnn, ct));
        var remoteVnn = FetchFromEachAsync(targets.ActiveOthers, pnn => GetVnnMapAsync(pnn, ct));
        await Task.WhenAll(maps, localVnn, modes, remoteVnn);
        return new LeaderStateReads(await maps, await localVnn, await modes, await remoteVnn);
    }

    public async Task<IpStateReads> ReadIpStateAsync(bool includeKnown, CancellationToken ct)
    {
        var interfaces = Reads.FetchAsync(() => GetInterfacesAsync(ct));
        var available = Reads.FetchAsync(() => GetPublicIpsAsync(availableOnly: true, ct));
        var known = includeKnown ? Reads.FetchAsync(() => GetPublicIpsAsync(availableOnly: false, ct)) : null;
        // Converted to the core's views once the reads are in, with no await of its own, so
        // the virtual schedule stays what it was when the daemon converted them.
        return new IpStateReads(
            Views(await interfaces, CtdbdGateway.ToViews),
            Views(await available, CtdbdGateway.ToViews),
            known is null ? null : await known);
    }

    private static FetchResult<IReadOnlyList<TView>> Views<TList, TView>(FetchResult<TList> read, Func<TList, IReadOnlyList<TView>> convert) =>
        read.TryGetValue(out var list) ? Fetch.Ok(convert(list)) : Fetch.Failed<IReadOnlyList<TView>>();

    // The simulated daemons read at each point of the iteration, as they always did: reading
    // ahead would move remote reads in virtual time and change every pinned seed's schedule.
    public IterationReads StartIteration(uint ownPnn, ReadAheadPlan? plan, long actionsAtSend, CancellationToken ct) =>
        new(ReadLocalStateAsync(ownPnn, ct), null);

    private Task<PublicIpList> GetPublicIpsAsync(bool availableOnly, CancellationToken ct) =>
        Local(CtdbControl.GetPublicIps, _ => new PublicIpList(ImmutableArray<PublicIp>.Empty), ct);

    private Task<IfaceList> GetInterfacesAsync(CancellationToken ct) =>
        Local(CtdbControl.GetIfaces, _ => new IfaceList(ImmutableArray<Iface>.Empty), ct);

    public Task ReportLockLatencyAsync(TimeSpan latency, CancellationToken ct) => Local(CtdbControl.RecdReclockLatency, _ => 0, ct);

    public Task RegisterAsync(ulong srvid, CancellationToken ct) => Local(CtdbControl.RegisterSrvid, _ =>
    {
        host.Register(srvid);
        return 0;
    }, ct);

    public Task SendAsync(uint destNode, MessagePacket message, CancellationToken ct)
    {
        if (host.IsDead)
        {
            return Never<int>();
        }

        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled(ct);
        }

        if (!host.Node.CtdbdUp)
        {
            return Task.FromException(new CtdbConnectionLostException("ctdbd is gone"));
        }

        Cluster.SendMessage(host.Pnn, destNode, message);
        return Task.CompletedTask;
    }

    public Task BroadcastLeaderAsync(uint leader, CancellationToken ct)
    {
        if (leader == CtdbConstants.UnknownPnn && !host.IsDead && !host.IsStock && !host.IsStopping)
        {
            // An UNKNOWN broadcast while this node's own previous election is still running = a nested election.
            // (An election that ended within this step, e.g. naming this node just before it
            // resigns, is not open any more: the daemon no longer reports one in progress.)
            if (host.ElectionOpen && host.Daemon.ObservedElectionInProgress)
            {
                Cluster.Fail("nested-election", host.Pnn, "broadcast LEADER {UNKNOWN} again while its election was still in progress");
            }

            host.ElectionOpen = host.Daemon.ObservedElectionInProgress;
        }

        if (leader == CtdbConstants.UnknownPnn)
        {
            Cluster.Timeline.Add(Cluster.Scheduler.Now, host.Pnn, "sends LEADER {UNKNOWN}");
        }
        else if (leader == host.Pnn && host.IsStock && !host.IsDead)
        {
            if (host.Daemon.ObservedElectionInProgress || host.Daemon.ObservedClassicExchangeOpen
                || (!Cluster.Config.LockMode && host.ExchangesEndedAtLastRequest == host.Daemon.ObservedClassicExchangesEnded))
            {
                // Classic: B82 "assume we win" makes the 1 s loop announce this node while the
                // exchange it has just started is still running on the others.
                Cluster.NoteStockPrematureLeadership(host.Pnn, "while its election is still open");
            }
            else if (Cluster.Config.LockMode && host.Daemon.ObservedLockPhase != ClusterLockPhase.Held)
            {
                Cluster.NoteStockPrematureLeadership(host.Pnn, "before its lock attempt has answered (bug 16152)");
            }
        }

        return SendAsync(CtdbConstants.BroadcastConnected, Messages.Leader(leader), ct);
    }

    public Task BroadcastElectionAsync(ElectionData data, CancellationToken ct)
    {
        Cluster.Timeline.Add(Cluster.Scheduler.Now, host.Pnn, $"sends ELECTION (pnn {data.Pnn}, flags {data.NodeFlags}, connected {data.NumConnected})");
        host.ExchangesEndedAtLastRequest = host.Daemon.ObservedClassicExchangesEnded;
        return SendAsync(CtdbConstants.BroadcastAll, Messages.Election(CtdbdGateway.ToWire(data)), ct);
    }

    public void DeliverMessagesTo(Func<MessagePacket, Task> handler, CancellationToken ct) => _ = PumpInboxAsync(handler, ct);

    // One message at a time, as the real gateway hands them over.
    private async Task PumpInboxAsync(Func<MessagePacket, Task> handler, CancellationToken ct)
    {
        await foreach (var message in host.ReadInboxAsync(ct))
        {
            await handler(message);
        }
    }

    private static Task<T> Never<T>() => new TaskCompletionSource<T>().Task;

    private Task<T> Local<T>(CtdbControl opcode, Func<SimNode, T> answer, CancellationToken ct) => Control(opcode, CtdbConstants.CurrentNode, answer, ct);

    /// <summary>One control: answered by the destination ctdbd, or failed/timed out as a real one would.</summary>
    private Task<T> Control<T>(CtdbControl opcode, uint pnn, Func<SimNode, T> answer, CancellationToken ct)
    {
        if (host.IsDead)
        {
            return Never<T>();
        }

        // As the real client: a cancelled caller gets no answer.
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(ct);
        }

        var own = host.Pnn;
        if (!Cluster.Nodes[own].CtdbdUp)
        {
            return Task.FromException<T>(new CtdbConnectionLostException("ctdbd is gone"));
        }

        if (pnn == CtdbConstants.CurrentNode || pnn == own)
        {
            return Task.FromResult(answer(Cluster.Nodes[own]));
        }

        if (pnn >= Cluster.Nodes.Length || !Cluster.Connected(own, pnn))
        {
            return Task.FromException<T>(new CtdbControlException(opcode, -1, $"node {pnn} is disconnected"));
        }

        // Completed only from the simulator's own steps (arrival, timeout), so continuations run inline there.
        var reply = new TaskCompletionSource<T>();
        var timeout = ControlTimeout;
        var timer = Cluster.Scheduler.Timer(timeout, () =>
        {
            if (!host.IsDead)
            {
                reply.TrySetException(new CtdbControlTimeoutException(opcode, pnn, timeout));
            }
        });
        void Lost()
        {
            timer.Dispose();
            if (!host.IsDead)
            {
                reply.TrySetException(new CtdbControlException(opcode, -1, $"node {pnn} disconnected"));
            }
        }

        Cluster.Transmit(
            own,
            pnn,
            () =>
            {
                var value = answer(Cluster.Nodes[pnn]);
                Cluster.Transmit(
                    pnn,
                    own,
                    () =>
                    {
                        timer.Dispose();
                        if (!host.IsDead)
                        {
                            reply.TrySetResult(value);
                        }
                    },
                    Lost);
            },
            Lost);
        return reply.Task;
    }

    private async Task<List<(uint Key, bool Value, T? Result)>> Many<T>(CtdbControl opcode, IEnumerable<uint> pnns, Func<SimNode, T> answer, CancellationToken ct)
    {
        var calls = pnns.Select(p => (Pnn: p, Call: Control(opcode, p, answer, ct))).ToList();
        var results = new List<(uint, bool, T?)>(calls.Count);
        foreach (var (pnn, call) in calls)
        {
            try
            {
                results.Add((pnn, true, await call));
            }
            catch (Exception e) when (e is CtdbControlException or CtdbControlTimeoutException)
            {
                results.Add((pnn, false, default));
            }
        }

        return results;
    }

    private static async Task<IReadOnlyDictionary<uint, FetchResult<T>>> FetchFromEachAsync<T>(IEnumerable<uint> nodes, Func<uint, Task<T>> read)
    {
        var reads = nodes.Select(async pnn => (Pnn: pnn, Read: await Reads.FetchAsync(() => read(pnn)))).ToList();
        return (await Task.WhenAll(reads)).ToDictionary(r => r.Pnn, r => r.Read);
    }
}
