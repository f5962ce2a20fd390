using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Takeover;

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

    // What the reads every iteration takes were parsed into last time (see RepeatedReply).
    private readonly RepeatedReply<RecdTunables> _tunablesReply = new();
    private readonly RepeatedReply<NodeMapView> _ownNodeMapReply = new();
    private readonly RepeatedReply<IReadOnlyList<InterfaceInfo>> _interfacesReply = new();
    private readonly RepeatedReply<IReadOnlyList<PublicIpView>> _availableIpsReply = new();
    private readonly RepeatedReply<PublicIpList> _knownIpsReply = new();
    // Read ahead and read alone alike. A read-ahead parse may finish on another thread; the
    // cache only swaps references to dictionaries nobody changes, so that costs a miss at worst.
    private readonly AnsweredCapabilities _capabilities = new();
    private readonly IterationRequests _requests = new();
    private readonly LeaderStateParser _leaderState = new();
    private MessageDelivery? _messages;

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

    public void DeliverMessagesTo(Func<MessagePacket, Task> handler, CancellationToken ct)
    {
        if (_messages is not null)
        {
            throw new InvalidOperationException("messages are delivered already");
        }

        _messages = new MessageDelivery(handler, ct);
        _client.DeliverMessagesTo(_messages.Receive);
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

    public async Task<IReadOnlyDictionary<uint, CtdbCapabilities>?> GetCapabilitiesAsync(IEnumerable<uint> pnns, CancellationToken ct)
    {
        var results = await _client.ControlManyAsync(pnns, Controls.GetCapabilities(0), ControlTimeout, ct).ConfigureAwait(false);
        return _capabilities.From(results, ParseCapabilitiesOf);
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
    public async Task<LocalStateReads> ReadLocalStateAsync(uint ownPnn, CancellationToken ct) =>
        ParseLocalState(await _client.ControlRoundAsync(_requests.LocalState(ownPnn), ControlTimeout, ct).ConfigureAwait(false));

    /// <summary>B27-B33: the leader's node-map, recovery-mode and VNN-map reads as one round.</summary>
    public async Task<LeaderStateReads> ReadLeaderStateAsync(LeaderReadTargets targets, CancellationToken ct) =>
        ParseLeaderState(targets, await _client.ControlRoundAsync(_requests.LeaderState(targets), ControlTimeout, ct).ConfigureAwait(false));

    /// <summary>B42-B44: interfaces and public IPs as one round.</summary>
    public async Task<IpStateReads> ReadIpStateAsync(bool includeKnown, CancellationToken ct) =>
        ParseIpState(includeKnown, await _client.ControlRoundAsync(IterationRequests.IpState(includeKnown), ControlTimeout, ct).ConfigureAwait(false));

    /// <summary>
    /// The local round and the plan's rounds go out together, in one write, and this thread
    /// waits for them itself for up to <see cref="WaitHereLimit"/>: an idle iteration's reads
    /// are all answered within a millisecond or two, and then cost no timer, cancellation or
    /// queued continuation (issue 7, idle CPU). Rounds not answered by then are awaited as
    /// ever, each under the control timeout, so a stalled peer holds up only its own reads.
    /// </summary>
    public IterationReads StartIteration(uint ownPnn, ReadAheadPlan? plan, long actionsAtSend, CancellationToken ct)
    {
        var sentAt = TimeProvider.System.GetTimestamp();
        var rounds = new List<IReadOnlyList<ControlRequest>>(4) { _requests.LocalState(ownPnn) };
        var capabilitiesAt = plan is { CapabilityNodes.Count: > 0 } ? Add(rounds, _requests.Capabilities(plan.CapabilityNodes)) : -1;
        var ipStateAt = plan is { IpState: true } ? Add(rounds, IterationRequests.IpState(plan.IncludeKnownIps)) : -1;
        var leaderAt = plan?.LeaderReads is { } targets ? Add(rounds, _requests.LeaderState(targets)) : -1;

        Task<NodeControlResult[]>[] tasks;
        // Messages that arrive while the thread waits here are handled after the wait.
        using (_messages?.WaitHere())
        {
            tasks = _client.ControlRoundsWaitingHere(rounds, ControlTimeout, WaitHereLimit, ct);
        }

        var local = Parsed(tasks[0], ParseLocalState);
        if (plan is null)
        {
            return new IterationReads(local, null);
        }

        var ahead = new ReadAhead(
            plan,
            actionsAtSend,
            capabilitiesAt < 0 ? null : Parsed(tasks[capabilitiesAt], results => _capabilities.From(results, ParseCapabilitiesOf)),
            ipStateAt < 0 ? null : Parsed(tasks[ipStateAt], results => ParseIpState(plan.IncludeKnownIps, results)),
            leaderAt < 0 ? null : Parsed(tasks[leaderAt], results => ParseLeaderState(plan.LeaderReads!, results)),
            TimeProvider.System,
            sentAt);
        return new IterationReads(local, ahead);
    }

    /// <summary>
    /// How long <see cref="StartIteration"/> holds the daemon thread for its replies. Local
    /// controls are answered in microseconds and remote ones in a network round trip; what
    /// takes longer is awaited without holding anything up.
    /// </summary>
    public static readonly TimeSpan WaitHereLimit = TimeSpan.FromMilliseconds(25);

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

    private LocalStateReads ParseLocalState(NodeControlResult[] results) =>
        new(
            Reads.From(results[0], reply =>
            {
                Controls.ParseRecdPing(reply);
                return true;
            }).Succeeded,
            Reads.From(results[1], Controls.ParseGetDebug),
            Reads.From(results[2], _tunablesReply, ParseTunables),
            Reads.From(results[3], Controls.ParseGetRunstate),
            Reads.From(results[4], _ownNodeMapReply, ParseNodeMap),
            Reads.From(results[5], Controls.ParseGetRecmode));

    private LeaderStateReads ParseLeaderState(LeaderReadTargets targets, NodeControlResult[] results) => _leaderState.Parse(targets, results);

    private IpStateReads ParseIpState(bool includeKnown, NodeControlResult[] results) =>
        new(
            Reads.From(results[0], _interfacesReply, ParseInterfaces),
            Reads.From(results[1], _availableIpsReply, ParseIpViews),
            includeKnown ? Reads.From(results[2], _knownIpsReply, Controls.ParseGetPublicIps) : null);

    private static RecdTunables ParseTunables(ControlReply reply) => ToTunables(Controls.ParseGetAllTunables(reply));

    internal static NodeMapView ParseNodeMap(ControlReply reply) => ToView(Controls.ParseGetNodemap(reply));

    internal static VnnMapView ParseVnnMap(ControlReply reply) => ToView(Controls.ParseGetVnnmap(reply));

    private static IReadOnlyList<InterfaceInfo> ParseInterfaces(ControlReply reply) => ToViews(Controls.ParseGetIfaces(reply));

    private static IReadOnlyList<PublicIpView> ParseIpViews(ControlReply reply) => ToViews(Controls.ParseGetPublicIps(reply));

    /// <summary>B42's interface list as the core compares it.</summary>
    public static IReadOnlyList<InterfaceInfo> ToViews(IfaceList list) =>
        list.Ifaces.Select(i => new InterfaceInfo(i.Name, i.LinkState)).ToArray();

    /// <summary>B43's public IPs as the core checks them.</summary>
    public static IReadOnlyList<PublicIpView> ToViews(PublicIpList list) =>
        list.Ips.Select(ip => new PublicIpView(ip.Address.Address.ToString(), ip.Pnn)).ToArray();

    private static CtdbCapabilities? ParseCapabilitiesOf(NodeControlResult result) => ParseValue(result, Controls.ParseGetCapabilities);

    private static int Add(List<IReadOnlyList<ControlRequest>> rounds, IReadOnlyList<ControlRequest> round)
    {
        rounds.Add(round);
        return rounds.Count - 1;
    }

    /// <summary>
    /// A round's outcomes parsed: at once when the round is done (the usual case, see
    /// <see cref="StartIteration"/>), else when it is. A parse that throws (a lost
    /// connection among the outcomes) faults the task, as the awaited read would have thrown.
    /// </summary>
    private static Task<T> Parsed<T>(Task<NodeControlResult[]> round, Func<NodeControlResult[], T> parse)
    {
        if (!round.IsCompletedSuccessfully)
        {
            return ParsedLaterAsync(round, parse);
        }

        try
        {
            return Task.FromResult(parse(round.Result));
        }
#pragma warning disable CA1031 // handed on in the task, as an async method would
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Task.FromException<T>(e);
        }
    }

    private static async Task<T> ParsedLaterAsync<T>(Task<NodeControlResult[]> round, Func<NodeControlResult[], T> parse) =>
        parse(await round.ConfigureAwait(false));

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
