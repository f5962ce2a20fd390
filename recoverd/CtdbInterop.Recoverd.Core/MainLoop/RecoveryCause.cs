namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>The leader check that found a recovery necessary.</summary>
public enum RecoveryCheck
{
    /// <summary>B31: a previous recovery failed or was aborted.</summary>
    UnfinishedRecovery,

    /// <summary>B32: an active node is in recovery mode.</summary>
    NodeInRecoveryMode,

    /// <summary>B33: a cluster lock is configured but not held.</summary>
    ClusterLockNotHeld,

    /// <summary>B35: a node's map has a different entry count.</summary>
    NodeCountMismatch,

    /// <summary>B35: a node's map has a different PNN at some index.</summary>
    NodeMapPnnMismatch,

    /// <summary>B36: the vnn map size differs from the number of active lmasters.</summary>
    VnnMapLmasterCountMismatch,

    /// <summary>B37: an active lmaster is missing from the vnn map.</summary>
    LmasterMissingFromVnnMap,

    /// <summary>B38: a node's vnn map has another generation.</summary>
    VnnMapGenerationMismatch,

    /// <summary>B38: a node's vnn map has another size.</summary>
    VnnMapSizeMismatch,

    /// <summary>B38: a node's vnn map has other entries.</summary>
    VnnMapContentMismatch,
}

/// <summary>
/// Why a recovery is needed, as data for logs and metrics: the check, its behaviour id, the node
/// concerned, what was observed and expected (where the check compares numbers) and the culprit
/// that was credited (null when none).
/// </summary>
public sealed record RecoveryCause(
    RecoveryCheck Check,
    string Behaviour,
    uint? Node = null,
    long? Observed = null,
    long? Expected = null,
    uint? Culprit = null);
