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
}
