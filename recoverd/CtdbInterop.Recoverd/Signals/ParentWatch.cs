using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Hosting;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Native;
using Microsoft.Extensions.Hosting;

namespace CtdbInterop.Recoverd.Signals;

/// <summary>
/// B11 between loop iterations too: stops the daemon with status 255 as soon as ctdbd is
/// gone. (The parent-death signal usually comes first; this also covers a parent that dies
/// while the signal is blocked or unset.) ctdbd's pidfd becomes readable when it exits, so
/// the watch costs nothing while it lives; without a pidfd it checks every second, as the
/// C daemon's loop does.
/// </summary>
/// <remarks>
/// The checks run on a thread of their own that sleeps between them. A <see cref="PeriodicTimer"/>
/// would wake three threads a second (the runtime's timer thread, a thread-pool worker and the
/// pool's gate thread): 12 % of an idle daemon's instructions under valgrind, which has no
/// pidfd_open (issue 7).
/// </remarks>
internal sealed class ParentWatch(ParentProcess parent, EpollReactor reactor, DaemonLifetime lifetime, CtdbLog log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>False makes the watch check every second even where pidfds exist; for tests.</summary>
    internal bool UsePidfd { get; init; } = true;

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
        if ((UsePidfd ? OpenPidfd() : null) is { } pidfd)
        {
            using (pidfd)
            {
                // It may have gone between the start-up check and the pidfd (its PID even reused).
                if (!parent.IsAlive())
                {
                    ReportParentGone(lifetime, log);
                    return;
                }

                try
                {
                    await reactor.WaitReadableAsync(pidfd, stop.Token).ConfigureAwait(false);
                    ReportParentGone(lifetime, log);
                }
                catch (OperationCanceledException)
                {
                }
                catch (ObjectDisposedException)
                {
                    // The reactor closes at shutdown.
                }
            }

            return;
        }

        await PollAsync(stop.Token).ConfigureAwait(false);
    }

    private SafeFd? OpenPidfd()
    {
        var fd = Libc.pidfd_open(parent.Pid, 0);
        if (fd >= 0)
        {
            return new SafeFd(fd);
        }

        log.Debug($"No pidfd for ctdbd (pid {parent.Pid}): {UnixException.FromLastError("pidfd_open").Message}; checking it every second");
        return null;
    }

    private Task PollAsync(CancellationToken stop) =>
        Task.Factory.StartNew(() => Poll(stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Poll(CancellationToken stop)
    {
        while (parent.IsAlive())
        {
            if (stop.WaitHandle.WaitOne(Interval))
            {
                return;
            }
        }

        ReportParentGone(lifetime, log);
    }
}
