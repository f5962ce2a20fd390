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
    public static Task<int> Main() => DaemonEntry.RunAsync(services => new RecoveryDaemon(
        services.GetRequiredService<CtdbLog>(),
        services.GetRequiredService<DaemonSettings>(),
        services.GetRequiredService<HelperRunner>(),
        services.GetRequiredService<HelperLocator>(),
        services.GetRequiredService<ProcessSpawner>()));
}
