namespace CtdbInterop.Recoverd.Processes;

/// <summary>The first status byte of a cluster mutex helper (B88).</summary>
internal enum ClusterMutexAnswer
{
    /// <summary><c>'0'</c>: the lock is ours while the helper lives.</summary>
    Locked,

    /// <summary><c>'1'</c>: someone else holds it.</summary>
    Contention,

    /// <summary><c>'2'</c>, or no answer within the attempt limit (120 s).</summary>
    Timeout,

    /// <summary>Any other byte, or end of file before a byte.</summary>
    Unknown,

    /// <summary>The attempt was released before the helper answered.</summary>
    Cancelled,
}
