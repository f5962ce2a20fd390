using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>
/// The controls and messages the daemon exchanges with ctdbd, in the decision core's
/// terms: codec types in, domain snapshots out. Every call is bounded (the C daemon's
/// CONTROL_TIMEOUT is the tunable RecoverTimeout; the controls it sends without a timeout
/// get a finite, generous one here). Failures are returned as data where the core treats
/// them as observations, and thrown where the caller only logs.
/// </summary>
internal sealed class CtdbdGateway : ICtdbdGateway
{
    /// <summary>For the controls the C daemon sends without a timeout that go out alone (srvid registration, lock latency).</summary>
    public static readonly TimeSpan UnboundedControlLimit = TimeSpan.FromSeconds(60);

    private readonly CtdbClient _client;

    public CtdbdGateway(CtdbClient client, uint ownPnn)
    {
        _client = client;
        OwnPnn = ownPnn;
    }

    /// <summary>A gateway whose own PNN is read with <see cref="ReadOwnPnnAsync(CancellationToken)"/>.</summary>
    public CtdbdGateway(CtdbClient client)
        : this(client, CtdbConstants.UnknownPnn)
    {
    }

    public uint OwnPnn { get; private set; }

    public string SocketPath => _client.SocketPath;

    public bool IsConnected => _client.IsConnected;

    /// <summary>The per-control time limit (tunable RecoverTimeout), updated every loop.</summary>
    public TimeSpan ControlTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public static async Task<uint> ReadOwnPnnAsync(CtdbClient client, CancellationToken ct) =>
        await client.ControlAsync(Controls.GetPnn(CtdbConstants.CurrentNode), Controls.ParseGetPnn, TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);

    public async Task<uint> ReadOwnPnnAsync(CancellationToken ct)
    {
        OwnPnn = await ReadOwnPnnAsync(_client, ct).ConfigureAwait(false);
        return OwnPnn;
    }

    public async IAsyncEnumerable<MessagePacket> ReadMessagesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        // Straight from the client's queue: every message used to pass through three nested
        // async iterators (issue 7, a leader broadcast reaches every node every second).
        var queue = _client.Messages;
        while (await queue.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (queue.TryRead(out var message))
            {
                yield return message.Packet;
            }
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    public async Task<RecdTunables> GetTunablesAsync(CancellationToken ct) =>
        ToTunables(await _client.ControlAsync(Controls.GetAllTunables(CtdbConstants.CurrentNode), Controls.ParseGetAllTunables, ControlTimeout, ct).ConfigureAwait(false));

    public Task<string?> GetReclockAsync(CancellationToken ct) =>
        _client.ControlAsync(Controls.GetReclockFile(CtdbConstants.CurrentNode), Controls.ParseGetReclockFile, ControlTimeout, ct);

    public async Task<NodeMapView> GetNodeMapAsync(uint pnn, CancellationToken ct)
    {
        var map = await _client.ControlAsync(Controls.GetNodemap(pnn), Controls.ParseGetNodemap, ControlTimeout, ct).ConfigureAwait(false);
        return ToView(map);
    }

    public async Task<NodeMapView> GetNodesFileAsync(CancellationToken ct)
    {
        var map = await _client.ControlAsync(Controls.GetNodesFile(CtdbConstants.CurrentNode), Controls.ParseGetNodesFile, ControlTimeout, ct).ConfigureAwait(false);
        return ToView(map);
    }

    public Task<CtdbRecoveryMode> GetRecoveryModeAsync(uint pnn, CancellationToken ct) =>
        _client.ControlAsync(Controls.GetRecmode(pnn), Controls.ParseGetRecmode, ControlTimeout, ct);

    /// <summary>True when every node accepted the mode.</summary>
    public async Task<bool> SetRecoveryModeAsync(IEnumerable<uint> pnns, CtdbRecoveryMode mode, CancellationToken ct)
    {
        var results = await _client.ControlManyAsync(pnns, Controls.SetRecmode(0, mode), ControlTimeout, ct).ConfigureAwait(false);
        return results.All(r => r.Succeeded);
    }

    public Task FreezeAsync(CancellationToken ct) =>
        _client.ControlAsync(Controls.Freeze(CtdbConstants.CurrentNode), Controls.ParseFreeze, ControlTimeout, ct);

    /// <summary>Capabilities of several nodes in parallel; a failed node maps to null.</summary>
    public async Task<IReadOnlyDictionary<uint, CtdbCapabilities?>> GetCapabilitiesAsync(IEnumerable<uint> pnns, CancellationToken ct)
    {
        var results = await _client.ControlManyAsync(pnns, Controls.GetCapabilities(0), ControlTimeout, ct).ConfigureAwait(false);
        return results.ToDictionary(r => r.Pnn, r => ParseValue(r, Controls.ParseGetCapabilities));
    }

    /// <summary>MODIFY_FLAGS to every target in parallel; the PNNs that failed.</summary>
    public async Task<IReadOnlyList<uint>> ModifyFlagsAsync(IEnumerable<uint> targets, NodeFlagChange change, CancellationToken ct)
    {
        var results = await _client.ControlManyAsync(targets, Controls.ModifyFlags(0, change), ControlTimeout, ct).ConfigureAwait(false);
        return results.Where(r => !r.Succeeded).Select(r => r.Pnn).ToList();
    }

    public Task BanAsync(uint pnn, uint seconds, CancellationToken ct) =>
        _client.ControlAsync(Controls.SetBanState(pnn, new BanState(pnn, seconds)), Controls.ParseSetBanState, ControlTimeout, ct);

    /// <summary>
    /// B12's recd ping and the five local reads of B16-B21 as one round: one wait, and one
    /// time limit, the control timeout, which the ping and the debug-level read (unbounded
    /// alone) share here, so a stalled ctdbd costs an iteration, not the loop.
    /// </summary>
    public async Task<LocalStateReads> ReadLocalStateAsync(uint ownPnn, CancellationToken ct)
    {
        var results = await _client.ControlRoundAsync(
            [
                Controls.RecdPing(CtdbConstants.CurrentNode),
                Controls.GetDebug(CtdbConstants.CurrentNode),
                Controls.GetAllTunables(CtdbConstants.CurrentNode),
                Controls.GetRunstate(CtdbConstants.CurrentNode),
                Controls.GetNodemap(ownPnn),
                Controls.GetRecmode(CtdbConstants.CurrentNode),
            ],
            ControlTimeout,
            ct).ConfigureAwait(false);
        return new LocalStateReads(
            Reads.From(results[0], reply =>
            {
                Controls.ParseRecdPing(reply);
                return true;
            }).Succeeded,
            Reads.From(results[1], Controls.ParseGetDebug),
            Reads.From(results[2], reply => ToTunables(Controls.ParseGetAllTunables(reply))),
            Reads.From(results[3], Controls.ParseGetRunstate),
            Reads.From(results[4], reply => ToView(Controls.ParseGetNodemap(reply))),
            Reads.From(results[5], Controls.ParseGetRecmode));
    }

    /// <summary>B27-B33: the leader's node-map, recovery-mode and VNN-map reads as one round.</summary>
    public async Task<LeaderStateReads> ReadLeaderStateAsync(LeaderReadTargets targets, CancellationToken ct)
    {
        var requests = new List<ControlRequest>(targets.ConnectedOthers.Count + 1 + targets.ActiveNodes.Count + targets.ActiveOthers.Count);
        requests.AddRange(targets.ConnectedOthers.Select(Controls.GetNodemap));
        requests.Add(Controls.GetVnnmap(targets.OwnPnn));
        requests.AddRange(targets.ActiveNodes.Select(Controls.GetRecmode));
        requests.AddRange(targets.ActiveOthers.Select(Controls.GetVnnmap));
        var results = await _client.ControlRoundAsync(requests, ControlTimeout, ct).ConfigureAwait(false);

        var next = 0;
        var maps = ByNode(results, ref next, targets.ConnectedOthers.Count, reply => ToView(Controls.ParseGetNodemap(reply)));
        var localVnn = Reads.From(results[next++], reply => ToView(Controls.ParseGetVnnmap(reply)));
        var modes = ByNode(results, ref next, targets.ActiveNodes.Count, Controls.ParseGetRecmode);
        var remoteVnn = ByNode(results, ref next, targets.ActiveOthers.Count, reply => ToView(Controls.ParseGetVnnmap(reply)));
        return new LeaderStateReads(maps, localVnn, modes, remoteVnn);
    }

    /// <summary>B42-B44: interfaces and public IPs as one round.</summary>
    public async Task<IpStateReads> ReadIpStateAsync(bool includeKnown, CancellationToken ct)
    {
        ControlRequest[] requests = includeKnown
            ? [Controls.GetIfaces(CtdbConstants.CurrentNode), Controls.GetPublicIps(CtdbConstants.CurrentNode, true), Controls.GetPublicIps(CtdbConstants.CurrentNode, false)]
            : [Controls.GetIfaces(CtdbConstants.CurrentNode), Controls.GetPublicIps(CtdbConstants.CurrentNode, true)];
        var results = await _client.ControlRoundAsync(requests, ControlTimeout, ct).ConfigureAwait(false);
        return new IpStateReads(
            Reads.From(results[0], Controls.ParseGetIfaces),
            Reads.From(results[1], Controls.ParseGetPublicIps),
            includeKnown ? Reads.From(results[2], Controls.ParseGetPublicIps) : null);
    }

    public ReadAhead StartReadAhead(ReadAheadPlan plan, long actionsAtSend, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        // The rounds are written to the socket before this returns (the polled connection sends
        // synchronously), right behind the local round the caller sent first.
        var capabilities = plan.CapabilityNodes.Count > 0 ? GetCapabilitiesAsync(plan.CapabilityNodes, ct) : null;
        var ipState = plan.IpState ? ReadIpStateAsync(plan.IncludeKnownIps, ct) : null;
        var leaderState = plan.LeaderReads is { } targets ? ReadLeaderStateAsync(targets, ct) : null;
        return new ReadAhead(plan, actionsAtSend, capabilities, ipState, leaderState, TimeProvider.System);
    }

    public Task ReportLockLatencyAsync(TimeSpan latency, CancellationToken ct) =>
        _client.ControlAsync(Controls.RecdReclockLatency(CtdbConstants.CurrentNode, latency.TotalSeconds), Controls.ParseRecdReclockLatency, UnboundedControlLimit, ct);

    public Task RegisterAsync(ulong srvid, CancellationToken ct) => _client.RegisterSrvidAsync(srvid, UnboundedControlLimit, ct);

    public Task SendAsync(uint destNode, MessagePacket message, CancellationToken ct) => _client.SendMessageAsync(destNode, message, ct);

    public Task BroadcastLeaderAsync(uint leader, CancellationToken ct) =>
        _client.SendMessageAsync(CtdbConstants.BroadcastConnected, Messages.Leader(leader), ct);

    public Task BroadcastElectionAsync(ElectionData data, CancellationToken ct) =>
        _client.SendMessageAsync(CtdbConstants.BroadcastAll, Messages.Election(ToWire(data)), ct);

    public static ElectionMessage ToWire(ElectionData data) =>
        new(data.NumConnected, new TimeVal(data.PriorityTime.Seconds, data.PriorityTime.Microseconds), data.Pnn, data.NodeFlags);

    public static ElectionData FromWire(ElectionMessage message) =>
        new(message.NumConnected, new WallTime(message.PriorityTime.Seconds, message.PriorityTime.Microseconds), message.Pnn, message.NodeFlags);

    public static NodeMapView ToView(NodeMap map) =>
        new(map.Nodes.Select(n => new NodeEntry(n.Pnn, n.Flags)).ToArray());

    private static RecdTunables ToTunables(TunableList t) =>
        new(t.RecoverTimeout, t.RecoverInterval, t.ElectionTimeout, t.RecoveryGracePeriod, t.RecoveryBanPeriod, t.RerecoveryTimeout);

    private static VnnMapView ToView(VnnMap vnn) => new(vnn.Generation, vnn.Map);

    private static Dictionary<uint, FetchResult<T>> ByNode<T>(NodeControlResult[] results, ref int next, int count, Func<ControlReply, T> parse)
    {
        var byNode = new Dictionary<uint, FetchResult<T>>(count);
        for (var end = next + count; next < end; next++)
        {
            byNode[results[next].Pnn] = Reads.From(results[next], parse);
        }

        return byNode;
    }

    private static T? ParseValue<T>(NodeControlResult result, Func<ControlReply, T> parse) where T : struct
    {
        if (result.Reply is null)
        {
            return null;
        }

        try
        {
            return parse(result.Reply);
        }
        catch (Exception e) when (e is CtdbControlException or CtdbProtocolException)
        {
            return null;
        }
    }
}
