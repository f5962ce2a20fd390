using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Hosting;

/// <summary>
/// Stands in until the real loop is wired: it must not pretend to be a recovery daemon, so
/// it says so and exits with status 1 (ctdbd then logs the restart attempts).
/// </summary>
internal sealed class PlaceholderRecoveryLoop(CtdbLog log) : IRecoveryLoop
{
    public Task RunAsync(CancellationToken stoppingToken)
    {
        log.Notice("monitor_cluster starting");
        return Task.FromException(new FatalDaemonException(
            ExitCodes.Failure,
            "The recovery loop is not wired into this build of ctdb-recoverd yet: exiting"));
    }
}
