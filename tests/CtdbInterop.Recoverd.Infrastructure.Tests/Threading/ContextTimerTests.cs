using System.Diagnostics;
using CtdbInterop.Recoverd.Threading;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Threading;

[Description("issue 10: the daemon thread's own timers (no timer thread, no thread pool) behave like TimeProvider.System's")]
public class ContextTimerTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(60);

    [Test]
    public void A_wake_signal_on_the_daemon_thread_times_out_there_and_is_woken_early_by_Set()
    {
        var (timedOut, waited, sameThread, woken, wokenAfter) = SingleThreadContext.Run(async () =>
        {
            var thread = Environment.CurrentManagedThreadId;
            var signal = new WakeSignal(TimeProvider.System);
            var clock = Stopwatch.StartNew();
            var first = await signal.WaitAsync(Short, CancellationToken.None);
            var elapsed = clock.Elapsed;
            var onThread = Environment.CurrentManagedThreadId == thread;

            clock.Restart();
            var waiting = signal.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            signal.Set();
            var second = await waiting;
            return (first, elapsed, onThread, second, clock.Elapsed);
        });

        Assert.Multiple(() =>
        {
            Assert.That(timedOut, Is.False, "the timeout, not a wake-up");
            Assert.That(waited, Is.GreaterThanOrEqualTo(Short - TimeSpan.FromMilliseconds(1)));
            Assert.That(waited, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(sameThread, Is.True);
            Assert.That(woken, Is.True);
            Assert.That(wokenAfter, Is.LessThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    [Description("issue 7, idle CPU: the timer pump's sleep is moved, not ended, when a deadline moves")]
    public void Rescheduling_a_wait_moves_its_time_out_without_waking_it()
    {
        var (idleRescheduled, later, laterAfter, earlier, earlierAfter) = SingleThreadContext.Run(async () =>
        {
            var signal = new WakeSignal(TimeProvider.System);
            var none = signal.Reschedule(TimeSpan.FromMilliseconds(1));

            var clock = Stopwatch.StartNew();
            var postponed = signal.WaitAsync(Short, CancellationToken.None);
            var moved = signal.Reschedule(Short * 5);
            var first = await postponed;
            var firstAfter = clock.Elapsed;

            clock.Restart();
            var shortened = signal.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            moved &= signal.Reschedule(Short);
            var second = await shortened;
            return (none || !moved, first, firstAfter, second, clock.Elapsed);
        });

        Assert.Multiple(() =>
        {
            Assert.That(idleRescheduled, Is.False, "no wait in progress: nothing to move; a wait in progress: moved");
            Assert.That(later, Is.False, "a time-out, not a wake-up");
            Assert.That(laterAfter, Is.GreaterThanOrEqualTo(Short * 5 - TimeSpan.FromMilliseconds(1)), "the later time-out stands");
            Assert.That(earlier, Is.False, "a time-out, not a wake-up");
            Assert.That(earlierAfter, Is.LessThan(TimeSpan.FromSeconds(5)), "the earlier time-out stands");
        });
    }

    [Test]
    public void Timers_fire_on_the_daemon_thread_periodically_and_never_after_dispose()
    {
        var (periodicFires, onThread, disposedFired, changedFired) = SingleThreadContext.Run(async () =>
        {
            var thread = Environment.CurrentManagedThreadId;
            var time = SingleThreadContext.TimersFor(TimeProvider.System);
            var fires = 0;
            var allOnThread = true;
            var three = new TaskCompletionSource();
            using (time.CreateTimer(_ =>
            {
                allOnThread &= Environment.CurrentManagedThreadId == thread;
                if (++fires == 3)
                {
                    three.TrySetResult();
                }
            }, null, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)))
            {
                await three.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }

            var fired = false;
            time.CreateTimer(_ => fired = true, null, Short, Timeout.InfiniteTimeSpan).Dispose();

            var changed = new TaskCompletionSource<bool>();
            var late = time.CreateTimer(_ => changed.TrySetResult(true), null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
            late.Change(TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
            var changedResult = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            late.Dispose();

            await Task.Delay(Short * 2);
            return (fires, allOnThread, fired, changedResult);
        });

        Assert.Multiple(() =>
        {
            Assert.That(periodicFires, Is.GreaterThanOrEqualTo(3));
            Assert.That(onThread, Is.True);
            Assert.That(disposedFired, Is.False);
            Assert.That(changedFired, Is.True, "Change moved the due time");
        });
    }

    [Test]
    public void Other_clocks_and_other_threads_keep_their_own_timers()
    {
        var fake = new FixedClock();
        var (insideSystem, insideFake) = SingleThreadContext.Run(() => Task.FromResult((
            ReferenceEquals(SingleThreadContext.TimersFor(TimeProvider.System), TimeProvider.System),
            ReferenceEquals(SingleThreadContext.TimersFor(fake), fake))));

        Assert.Multiple(() =>
        {
            Assert.That(insideSystem, Is.False, "the real clock gets the daemon thread's timers");
            Assert.That(insideFake, Is.True, "a virtual clock (the simulator's) is used as is");
            Assert.That(SingleThreadContext.TimersFor(TimeProvider.System), Is.SameAs(TimeProvider.System), "not on a daemon thread");
        });
    }

    private sealed class FixedClock : TimeProvider;
}
