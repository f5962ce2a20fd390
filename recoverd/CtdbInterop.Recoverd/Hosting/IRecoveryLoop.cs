namespace CtdbInterop.Recoverd.Hosting;

/// <summary>
/// The recovery daemon's main loop (monitor_cluster). It runs until
/// <paramref name="stoppingToken"/> is cancelled (SIGTERM, ctdbd gone; the reason is in
/// <see cref="DaemonLifetime.Reason"/>), then finishes its orderly shutdown (resign,
/// release the cluster lock) and returns. A fatal condition is a
/// <see cref="FatalDaemonException"/> carrying the exit code.
/// </summary>
internal interface IRecoveryLoop
{
    Task RunAsync(CancellationToken stoppingToken);
}
