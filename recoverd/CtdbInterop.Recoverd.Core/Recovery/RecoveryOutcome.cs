using CtdbInterop.Recoverd.Core.Resignation;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>Where a recovery stopped.</summary>
public enum RecoveryFailure
{
    /// <summary>Rule 2: the own node map could not be read.</summary>
    NodeMapFetchFailed,

    /// <summary>Rule 3: this node can no longer lead (resign).</summary>
    CannotLead,

    /// <summary>B46/B50/B60: another node leads now.</summary>
    NotLeader,

    /// <summary>B47: the "recoveries" gate is disabled.</summary>
    RecoveriesDisabled,

    /// <summary>B48: an election is running.</summary>
    ElectionInProgress,

    /// <summary>B49: this node reached the ban threshold.</summary>
    SelfBanned,

    /// <summary>B50: the cluster lock is not held (this node bans itself).</summary>
    ClusterLockNotHeld,

    /// <summary>B51: capabilities could not be read.</summary>
    CapabilitiesFailed,

    /// <summary>B52: flags could not be pushed for an active node.</summary>
    FlagPushFailed,

    /// <summary>B53: the recovery helper failed or was aborted.</summary>
    HelperFailed,

    /// <summary>B55: the reconfigure broadcast failed.</summary>
    ReconfigureFailed,

    /// <summary>The shell abandoned the procedure (rule 9: an election started).</summary>
    Abandoned,
}

/// <summary>
/// The end of a recovery. On failure, <see cref="Resign"/> (when set) must be passed to
/// <c>LeaderElection.Resign(…, activateRecoveryModeOnOthers: true)</c> at once (§3.2 rule 3).
/// </summary>
public sealed record RecoveryOutcome(bool Succeeded, RecoveryFailure? Failure = null, ResignReason? Resign = null);
