namespace CtdbInterop.Recoverd.Hosting;

/// <summary>Why the daemon is stopping.</summary>
internal enum ShutdownReason
{
    /// <summary>Still running.</summary>
    None,

    /// <summary>SIGTERM from ctdbd (B05): resign, release the cluster lock, exit 0.</summary>
    Terminated,

    /// <summary>ctdbd is gone (B11 / parent-death signal): exit 255.</summary>
    ParentGone,

    /// <summary>A fatal condition (exit 1 unless stated).</summary>
    Fatal,
}
