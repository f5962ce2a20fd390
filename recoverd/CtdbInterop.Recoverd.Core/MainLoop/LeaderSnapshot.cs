using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>
/// The reads and state the leader checks (B27-B39) use, besides <see cref="LoopMemory"/>. Each
/// read is a <see cref="FetchResult{T}"/> keyed by PNN; a missing key counts as a failed read.
/// The checks walk the C daemon's order, so a read that the C daemon would not have reached
/// (because an earlier check returned) never matters: the shell may read everything up front or
/// stage the reads.
/// </summary>
public sealed record LeaderSnapshot
{
    public required uint OwnPnn { get; init; }

    /// <summary>B27: GET_NODEMAP from every connected node of the cached map except self.</summary>
    public required IReadOnlyDictionary<uint, FetchResult<NodeMapView>> RemoteNodeMaps { get; init; }

    /// <summary>B30: GETVNNMAP from the own node.</summary>
    public required FetchResult<VnnMapView> LocalVnnMap { get; init; }

    /// <summary>B32: GET_RECMODE from every active node, self included.</summary>
    public required IReadOnlyDictionary<uint, FetchResult<CtdbRecoveryMode>> RecoveryModes { get; init; }

    /// <summary>B33/B87.</summary>
    public required bool ClusterLockConfigured { get; init; }

    /// <summary>B33/B89: <c>LeaderElection.IsLockHeld</c>.</summary>
    public required bool ClusterLockHeld { get; init; }

    /// <summary>B34: the "recoveries" gate is disabled.</summary>
    public required bool RecoveriesDisabled { get; init; }

    /// <summary>B38: GETVNNMAP from every active node except self (C reads them one by one).</summary>
    public required IReadOnlyDictionary<uint, FetchResult<VnnMapView>> RemoteVnnMaps { get; init; }

    /// <summary>B39: the "takeover runs" gate is disabled.</summary>
    public required bool TakeoverRunsDisabled { get; init; }

    /// <summary>B39: takeover-run requests are queued.</summary>
    public required bool TakeoverRequestsPending { get; init; }
}
