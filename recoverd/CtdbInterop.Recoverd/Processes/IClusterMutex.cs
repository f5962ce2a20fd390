namespace CtdbInterop.Recoverd.Processes;

/// <summary>One cluster lock attempt as the daemon sees it (B88-B91): a mutex helper process in production.</summary>
internal interface IClusterMutex
{
    /// <summary>The helper's answer to the attempt.</summary>
    Task<ClusterMutexAnswer> Answer { get; }

    /// <summary>Completes when the helper is gone (after '0' this means the lock is lost or released).</summary>
    Task Exited { get; }

    /// <summary>Releases a held lock or cancels a pending attempt; completes once the helper is gone (throws <see cref="TimeoutException"/> if it will not go).</summary>
    Task ReleaseAsync();
}
