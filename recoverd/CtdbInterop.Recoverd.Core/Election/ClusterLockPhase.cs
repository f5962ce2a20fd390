namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>Where the one cluster-lock handle stands (§3.2 rules 11-12: at most one helper).</summary>
public enum ClusterLockPhase
{
    /// <summary>No mutex helper.</summary>
    None,

    /// <summary>The helper runs and has not answered yet. Not "held" (rule 11).</summary>
    Attempting,

    /// <summary>The helper answered '0' and has not exited since: the lock is held.</summary>
    Held,

    /// <summary>
    /// The helper exited after '0': the lock is no longer held, from the moment the exit is seen.
    /// What the loss leads to (B91, a forced election) is decided once the action in flight ends.
    /// </summary>
    Lost,

    /// <summary>
    /// The helper was told to exit (SIGTERM) and has not exited yet: nothing is held, and no new
    /// helper may start until this one is gone (rules 12-13); a wanted retake waits for the exit.
    /// </summary>
    Releasing,
}
