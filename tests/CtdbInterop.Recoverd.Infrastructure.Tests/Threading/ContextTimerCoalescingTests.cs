using System.Diagnostics;
using CtdbInterop.Recoverd.Threading;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Threading;

[Description("issue 7: timers of the daemon thread's coalescing clock share a wake-up with a timer due a little earlier, and never wake the thread early themselves")]
public class ContextTimerCoalescingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Test]
    public void A_coalescing_timer_due_within_the_window_fires_in_the_wake_up_of_an_earlier_timer()
    {
        var (strictAt, coalescingAt) = SingleThreadContext.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            var strictFired = TimeSpan.Zero;
            var coalescingFired = new TaskCompletionSource<TimeSpan>();
            var strict = SingleThreadContext.TimersFor(TimeProvider.System);
            var coalescing = SingleThreadContext.CoalescingTimersFor(TimeProvider.System);
            using var first = strict.CreateTimer(_ => strictFired = clock.Elapsed, null, TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
            using var second = coalescing.CreateTimer(_ => coalescingFired.TrySetResult(clock.Elapsed), null, TimeSpan.FromMilliseconds(145), Timeout.InfiniteTimeSpan);
            var at = await coalescingFired.Task.WaitAsync(Limit);
            return (strictFired, at);
        });

        Assert.Multiple(() =>
        {
            Assert.That(strictAt, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(99)), "the strict timer is never early");
            Assert.That(coalescingAt, Is.GreaterThanOrEqualTo(strictAt), "after it, in the same wake-up");
            Assert.That(coalescingAt - strictAt, Is.LessThan(TimeSpan.FromMilliseconds(25)), "not 45 ms later in a wake-up of its own");
        });
    }

    [Test]
    public void A_coalescing_timer_alone_fires_no_earlier_than_its_time()
    {
        var waited = SingleThreadContext.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            var fired = new TaskCompletionSource<TimeSpan>();
            using var timer = SingleThreadContext.CoalescingTimersFor(TimeProvider.System)
                .CreateTimer(_ => fired.TrySetResult(clock.Elapsed), null, TimeSpan.FromMilliseconds(80), Timeout.InfiniteTimeSpan);
            return await fired.Task.WaitAsync(Limit);
        });

        Assert.That(waited, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(79)));
    }

    [Test]
    [Description("found in review of the coalescing clock: a wait armed for a moment inside the window would have fired at once, again and again (a spinning timer pump)")]
    public void A_coalescing_timer_armed_for_a_moment_inside_the_window_waits_for_it()
    {
        var waits = SingleThreadContext.Run(async () =>
        {
            var signal = new WakeSignal(TimeProvider.System);
            var clock = Stopwatch.StartNew();
            var elapsed = new List<TimeSpan>();
            for (var i = 0; i < 3; i++)
            {
                clock.Restart();
                await signal.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None);
                elapsed.Add(clock.Elapsed);
            }

            return elapsed;
        });

        Assert.That(waits, Is.All.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(19)));
    }

    [Test]
    public void Only_the_daemon_threads_real_clock_has_a_window()
    {
        var (inside, insideVirtual) = SingleThreadContext.Run(() => Task.FromResult((
            SingleThreadContext.CoalesceWindowFor(TimeProvider.System),
            SingleThreadContext.CoalesceWindowFor(new VirtualClock()))));

        Assert.Multiple(() =>
        {
            Assert.That(inside, Is.EqualTo(SingleThreadContext.CoalesceWindow));
            Assert.That(insideVirtual, Is.EqualTo(TimeSpan.Zero), "the simulator's clock: schedules unchanged");
            Assert.That(SingleThreadContext.CoalesceWindowFor(TimeProvider.System), Is.EqualTo(TimeSpan.Zero), "not on a daemon thread");
            Assert.That(SingleThreadContext.CoalescingTimersFor(TimeProvider.System), Is.SameAs(TimeProvider.System));
        });
    }

    private sealed class VirtualClock : TimeProvider;
}
