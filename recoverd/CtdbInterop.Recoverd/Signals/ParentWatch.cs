using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Hosting;
using CtdbInterop.Recoverd.Logging;
using Microsoft.Extensions.Hosting;

namespace CtdbInterop.Recoverd.Signals;

/// <summary>
/// B11 between loop iterations too: checks every second that ctdbd still exists and stops
/// the daemon with status 255 when it does not. (The parent-death signal usually comes
/// first; this also covers a parent that dies while the signal is blocked or unset.)
/// </summary>
internal sealed class ParentWatch(ParentProcess parent, DaemonLifetime lifetime, CtdbLog log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static void ReportParentGone(DaemonLifetime lifetime, CtdbLog log)
    {
        if (!lifetime.IsStopRequested)
        {
            log.Error("CTDB daemon is no longer available. Shutting down recovery daemon");
            lifetime.RequestStop(ShutdownReason.ParentGone, ExitCodes.ParentGone);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.StopRequested);
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                if (!parent.IsAlive())
                {
                    ReportParentGone(lifetime, log);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
