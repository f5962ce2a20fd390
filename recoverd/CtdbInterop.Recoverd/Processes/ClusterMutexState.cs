namespace CtdbInterop.Recoverd.Processes;

/// <summary>Where a cluster mutex helper stands.</summary>
internal enum ClusterMutexState
{
    /// <summary>Started, no answer yet. Not held (Samba master's rule, bug 16152).</summary>
    Pending,

    /// <summary>Answered <c>'0'</c> and still running: the only state in which the lock is held.</summary>
    Held,

    /// <summary>Answered anything but <c>'0'</c> (or nothing in time).</summary>
    Failed,

    /// <summary>Was held, then the helper exited (lock file gone, helper killed, …) (B91).</summary>
    Lost,

    /// <summary>Released or cancelled by us.</summary>
    Released,
}
