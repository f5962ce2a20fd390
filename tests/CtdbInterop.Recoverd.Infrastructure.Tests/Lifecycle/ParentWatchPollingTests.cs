using System.Diagnostics;
using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Hosting;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Native;
using CtdbInterop.Recoverd.Signals;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Lifecycle;

/// <summary>
/// The parent watch without a pidfd (kernels before 5.3, seccomp profiles that refuse
/// pidfd_open, valgrind): ctdbd is checked once a second on a thread of the watch's own.
/// </summary>
[Description("recoverd-behaviours B11 without pidfds")]
public class ParentWatchPollingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private Process _ctdbd = null!;
    private CtdbLog _log = null!;
    private MemoryLogSink _sink = null!;
    private DaemonLifetime _lifetime = null!;
    private EpollReactor _reactor = null!;
    private ParentWatch _watch = null!;

    [SetUp]
    public void StartWatch()
    {
        // A stand-in for ctdbd: any process of ours that can be made to vanish.
        _ctdbd = Process.Start(new ProcessStartInfo("/bin/sleep", ["60"]))!;
        (_log, _sink) = MemoryLogSink.CreateLog();
        _lifetime = new DaemonLifetime(_log, forceExit: _ => { });
        _reactor = new EpollReactor();
        _watch = new ParentWatch(new ParentProcess(_ctdbd.Id), _reactor, _lifetime, _log) { UsePidfd = false };
    }

    [TearDown]
    public void StopWatch()
    {
        _watch.Dispose();
        _reactor.Dispose();
        _lifetime.Dispose();
        _log.Dispose();
        if (!_ctdbd.HasExited)
        {
            _ctdbd.Kill();
        }

        _ctdbd.Dispose();
    }

    [Test]
    public async Task A_vanished_ctdbd_stops_the_daemon_with_255_within_a_check()
    {
        await _watch.StartAsync(CancellationToken.None);
        _ctdbd.Kill();
        await _ctdbd.WaitForExitAsync().WaitAsync(Bound);
        var clock = Stopwatch.StartNew();

        var stopped = await WaitForStopRequestAsync();

        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.True);
            Assert.That(clock.Elapsed, Is.LessThan(ParentWatch.Interval * 3), "seen at the next check");
            Assert.That(_lifetime.Reason, Is.EqualTo(ShutdownReason.ParentGone));
            Assert.That(_lifetime.ExitCode, Is.EqualTo(255));
            Assert.That(_sink.Texts, Does.Contain("CTDB daemon is no longer available. Shutting down recovery daemon"));
        });
    }

    [Test]
    public async Task Stopping_the_watch_ends_its_checks_without_waiting_for_the_next()
    {
        await _watch.StartAsync(CancellationToken.None);
        await Task.Delay(ParentWatch.Interval * 1.5);

        var clock = Stopwatch.StartNew();
        await _watch.StopAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.LessThan(ParentWatch.Interval / 2));
            Assert.That(_lifetime.IsStopRequested, Is.False, "ctdbd is alive");
            Assert.That(_sink.Texts, Is.Empty);
        });
    }

    private async Task<bool> WaitForStopRequestAsync()
    {
        var requested = new TaskCompletionSource();
        using var registration = _lifetime.StopRequested.Register(() => requested.TrySetResult());
        return await Task.WhenAny(requested.Task, Task.Delay(Bound)) == requested.Task;
    }
}
