using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Daemon;
using CtdbInterop.Recoverd.Hosting;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Processes;
using Microsoft.Extensions.DependencyInjection;

namespace CtdbInterop.Recoverd;

/// <summary>
/// ctdb-recoverd: exec'd by the preload shim in ctdbd's forked recovery-daemon child
/// (same PID), or started by hand for tests.
/// </summary>
internal static class Program
{
    public static Task<int> Main()
    {
        // Socket completions run on the socket engine's thread and only post to the daemon's
        // own thread: without this each one also hops through a thread-pool worker (issue 7,
        // idle CPU). Read once, when the first socket is created.
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        return Run();
    }

    private static Task<int> Run() => DaemonEntry.RunAsync(services => new RecoveryDaemon(
        services.GetRequiredService<CtdbLog>(),
        services.GetRequiredService<DaemonSettings>(),
        services.GetRequiredService<HelperRunner>(),
        services.GetRequiredService<HelperLocator>(),
        services.GetRequiredService<ProcessSpawner>()));
}
