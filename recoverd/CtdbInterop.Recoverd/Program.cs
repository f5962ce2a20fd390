using CtdbInterop.Recoverd.Hosting;

namespace CtdbInterop.Recoverd;

/// <summary>
/// ctdb-recoverd: exec'd by the preload shim in ctdbd's forked recovery-daemon child
/// (same PID), or started by hand for tests.
/// </summary>
internal static class Program
{
    public static Task<int> Main() => DaemonEntry.RunAsync(loopFactory: null);
}
