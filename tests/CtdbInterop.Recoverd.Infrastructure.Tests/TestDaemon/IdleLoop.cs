using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Hosting;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Recoverd.TestDaemon;

/// <summary>
/// Waits for the stop request. Optionally (environment) takes the cluster lock with the
/// configured mutex helper and releases it in a shutdown hook, and runs a takeover helper
/// in the background (for SIGHUP forwarding).
/// </summary>
internal sealed class IdleLoop(
    CtdbLog log,
    DaemonLifetime lifetime,
    DaemonSettings settings,
    HelperLocator locator,
    HelperRunner helpers,
    ProcessSpawner spawner) : IRecoveryLoop
{
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        log.Notice("monitor_cluster starting");
        lifetime.RegisterShutdownHook((reason, _) =>
        {
            log.Notice($"Shutdown hook ran ({reason})");
            return Task.CompletedTask;
        });

        if (Environment.GetEnvironmentVariable("TEST_DAEMON_LOCK") is { } lockString)
        {
            var command = ClusterMutexCommand.IsCommandForm(lockString)
                ? ClusterMutexCommand.TryParseCommand(lockString, out var parsed, out _) ? parsed! : throw new FatalDaemonException("bad lock")
                : ClusterMutexCommand.ForFile(locator.ClusterMutexHelper(), lockString);
            var mutex = ClusterMutexHelper.Start(command, lockString, spawner, log);
            lifetime.RegisterShutdownHook((_, _) => mutex.ReleaseAsync());
            var answer = await mutex.Answer.WaitAsync(stoppingToken);
            log.Notice($"Test daemon lock answer {answer}, helper pid {mutex.Pid}");
        }

        if (Environment.GetEnvironmentVariable("TEST_DAEMON_HELPER") is { } helper)
        {
            _ = helpers.RunAsync(HelperKind.Takeover, helper, settings.SocketPath, null, null, stoppingToken);
        }

        log.Notice($"Test daemon idle, socket {settings.SocketPath}, leader timeout {settings.Configuration.LeaderTimeoutSeconds}");
        await Task.Delay(Timeout.InfiniteTimeSpan, stoppingToken);
    }
}
