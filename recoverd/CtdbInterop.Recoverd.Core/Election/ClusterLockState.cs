namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>Why a lock attempt was started; decides what its success or failure leads to.</summary>
internal enum LockPurpose
{
    /// <summary>B84, the lock election: success makes this node leader, either way the election ends.</summary>
    LockElection,

    /// <summary>B83, end of a classic exchange this node won: failure bans this node.</summary>
    AfterClassicElection,
}

/// <summary>
/// The single cluster-lock handle (owned by <see cref="LeaderElection"/>). Attempt ids tag every
/// helper so late reports about an abandoned helper are recognised and ignored.
/// </summary>
internal sealed class ClusterLockState
{
    /// <summary>B88: the daemon gives the helper 120 s to answer.</summary>
    public static readonly TimeSpan AttemptLimit = TimeSpan.FromSeconds(120);

    private long _lastAttemptId;

    public ClusterLockPhase Phase { get; private set; }

    public long AttemptId { get; private set; }

    public TimeSpan StartedAt { get; private set; }

    public LockPurpose Purpose { get; private set; }

    /// <summary>An attempt wanted while the previous helper is still exiting; started at its exit.</summary>
    public LockPurpose? RetakeAfterExit { get; set; }

    public TimeSpan? AttemptDeadline => Phase == ClusterLockPhase.Attempting ? StartedAt + AttemptLimit : null;

    /// <summary>A live helper this node may still have to terminate (not a lost one, not one already told to exit).</summary>
    public bool HasHelper => Phase is ClusterLockPhase.Attempting or ClusterLockPhase.Held;

    /// <summary>Rule 11 when <paramref name="strict"/>; 4.22.6's "a handle exists" otherwise.</summary>
    public bool IsHeld(bool strict) => Phase == ClusterLockPhase.Held || (!strict && Phase == ClusterLockPhase.Attempting);

    public bool IsCurrentAttempt(long attemptId) => Phase != ClusterLockPhase.None && AttemptId == attemptId;

    public long Begin(TimeSpan now, LockPurpose purpose)
    {
        AttemptId = ++_lastAttemptId;
        StartedAt = now;
        Purpose = purpose;
        Phase = ClusterLockPhase.Attempting;
        RetakeAfterExit = null;
        return AttemptId;
    }

    /// <summary>A pending attempt now serves another purpose (a lock race joined while it was pending).</summary>
    public void Retag(LockPurpose purpose) => Purpose = purpose;

    public void MarkHeld() => Phase = ClusterLockPhase.Held;

    public void MarkLost() => Phase = ClusterLockPhase.Lost;

    /// <summary>The helper was terminated; its exit is still to come (rule 13).</summary>
    public void MarkReleasing()
    {
        Phase = ClusterLockPhase.Releasing;
        RetakeAfterExit = null;
    }

    public void Clear()
    {
        Phase = ClusterLockPhase.None;
        RetakeAfterExit = null;
    }
}
