using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>
/// The daemon's only door to ctdbd: controls, messages and srvid registration. The
/// production implementation is <see cref="CtdbdGateway"/> over a socket; the deterministic
/// simulator supplies its own, so the same shell code runs against simulated nodes.
/// Failures surface as the client's exceptions (<see cref="CtdbControlException"/>,
/// <see cref="CtdbControlTimeoutException"/>, <see cref="CtdbConnectionLostException"/>).
/// </summary>
internal interface ICtdbdGateway : IAsyncDisposable
{
    /// <summary>The own PNN, known after <see cref="ReadOwnPnnAsync"/>.</summary>
    uint OwnPnn { get; }

    string SocketPath { get; }

    bool IsConnected { get; }

    /// <summary>The per-control time limit (tunable RecoverTimeout), updated every loop.</summary>
    TimeSpan ControlTimeout { get; set; }

    Task<uint> ReadOwnPnnAsync(CancellationToken ct);

    Task<RecdTunables> GetTunablesAsync(CancellationToken ct);

    Task<string?> GetReclockAsync(CancellationToken ct);

    Task<NodeMapView> GetNodeMapAsync(uint pnn, CancellationToken ct);

    Task<NodeMapView> GetNodesFileAsync(CancellationToken ct);

    Task<CtdbRecoveryMode> GetRecoveryModeAsync(uint pnn, CancellationToken ct);

    /// <summary>True when every node accepted the mode.</summary>
    Task<bool> SetRecoveryModeAsync(IEnumerable<uint> pnns, CtdbRecoveryMode mode, CancellationToken ct);

    Task FreezeAsync(CancellationToken ct);

    /// <summary>
    /// Capabilities of several nodes in parallel, all or nothing (B24): every node's, or null
    /// when one node's read failed.
    /// </summary>
    Task<IReadOnlyDictionary<uint, CtdbCapabilities>?> GetCapabilitiesAsync(IEnumerable<uint> pnns, CancellationToken ct);

    /// <summary>MODIFY_FLAGS to every target in parallel; the PNNs that failed.</summary>
    Task<IReadOnlyList<uint>> ModifyFlagsAsync(IEnumerable<uint> targets, NodeFlagChange change, CancellationToken ct);

    Task BanAsync(uint pnn, uint seconds, CancellationToken ct);

    /// <summary>B12's recd ping with the local reads of B16-B21, sent together.</summary>
    Task<LocalStateReads> ReadLocalStateAsync(uint ownPnn, CancellationToken ct);

    /// <summary>The leader's reads of B27-B33, sent together.</summary>
    Task<LeaderStateReads> ReadLeaderStateAsync(LeaderReadTargets targets, CancellationToken ct);

    /// <summary>The reads of B42-B44, sent together.</summary>
    Task<IpStateReads> ReadIpStateAsync(bool includeKnown, CancellationToken ct);

    /// <summary>
    /// Sends an iteration's first reads (B12's ping and B16-B21, as
    /// <see cref="ReadLocalStateAsync"/>) and, with them, <paramref name="plan"/>'s reads, to
    /// be taken up later in the iteration. A gateway that does not read ahead returns none,
    /// and the iteration then reads at each point.
    /// </summary>
    IterationReads StartIteration(uint ownPnn, ReadAheadPlan? plan, long actionsAtSend, CancellationToken ct);

    Task ReportLockLatencyAsync(TimeSpan latency, CancellationToken ct);

    Task RegisterAsync(ulong srvid, CancellationToken ct);

    Task SendAsync(uint destNode, MessagePacket message, CancellationToken ct);

    Task BroadcastLeaderAsync(uint leader, CancellationToken ct);

    Task BroadcastElectionAsync(ElectionData data, CancellationToken ct);

    /// <summary>
    /// From now on hands the messages for the registered srvids to <paramref name="handler"/>,
    /// in arrival order, on the caller's thread and never inside other daemon code; the next
    /// message waits until the task returned for the one before completes. Messages that came
    /// before the call are handed over first. Call it once.
    /// </summary>
    void DeliverMessagesTo(Func<MessagePacket, Task> handler, CancellationToken ct);
}
