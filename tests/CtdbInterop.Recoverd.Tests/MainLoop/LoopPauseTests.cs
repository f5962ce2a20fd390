using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.MainLoop;

namespace CtdbInterop.Recoverd.Tests.MainLoop;

[Description("recoverd-behaviours B10; issue 7")]
public class LoopPauseTests
{
    private const uint Own = 1;

    // SingleThreadContext.CoalesceWindow (the daemon's shell, not referenced by the core's tests).
    private static readonly TimeSpan SingleThreadContextWindow = TimeSpan.FromMilliseconds(50);

    [Test]
    public void Pause_is_the_rest_of_the_interval_and_at_least_a_second()
    {
        Assert.Multiple(() =>
        {
            Assert.That(LoopPause.After(1, TimeSpan.FromMilliseconds(300), Own, Own, clockCoalesces: true), Is.EqualTo(TimeSpan.FromMilliseconds(700)), "the leader keeps its second");
            Assert.That(LoopPause.After(0, TimeSpan.FromMilliseconds(300), Own, Own, clockCoalesces: true), Is.EqualTo(TimeSpan.FromMilliseconds(700)), "RecoverInterval 0 still waits a second");
            Assert.That(LoopPause.After(3, TimeSpan.FromMilliseconds(300), Own, 0, clockCoalesces: false), Is.EqualTo(TimeSpan.FromMilliseconds(2700)));
        });
    }

    [Test]
    public void Follower_of_a_known_leader_is_due_a_little_after_the_second_on_a_coalescing_clock()
    {
        var lag = LoopPause.FollowerLag;
        Assert.Multiple(() =>
        {
            Assert.That(LoopPause.After(1, TimeSpan.FromMilliseconds(300), Own, 0, clockCoalesces: true), Is.EqualTo(TimeSpan.FromMilliseconds(700) + lag));
            Assert.That(lag, Is.GreaterThan(TimeSpan.Zero).And.LessThan(SingleThreadContextWindow), "a small delay to failure detection, and a broadcast that lag early still falls in the coalescing window");
            Assert.That(LoopPause.After(1, TimeSpan.FromMilliseconds(300), Own, CtdbConstants.UnknownPnn, clockCoalesces: true), Is.EqualTo(TimeSpan.FromMilliseconds(700)), "no leader: no broadcast to follow");
            Assert.That(LoopPause.After(1, TimeSpan.FromMilliseconds(300), Own, 0, clockCoalesces: false), Is.EqualTo(TimeSpan.FromMilliseconds(700)), "the simulator's schedules are unchanged");
        });
    }

    [Test]
    public void Follower_tick_may_wait_for_the_lag_plus_an_iterations_run_time()
    {
        // The tick is re-armed a second after its deadline; the iteration that shares the
        // wake-up starts a little later (the wake-up's latency, the tick's own run), and its
        // pause is measured from its start, so its next wake-up lies the lag plus that later.
        var tickNext = TimeSpan.FromSeconds(1);
        var started = TimeSpan.FromMilliseconds(2);
        var iteration = TimeSpan.FromMilliseconds(3);
        var loopWake = started + iteration + LoopPause.After(1, iteration, Own, 0, clockCoalesces: true);

        Assert.That(loopWake - tickNext, Is.GreaterThan(LoopPause.FollowerLag).And.LessThanOrEqualTo(LoopPause.FollowerTickSlack));
    }

    [Test]
    public void Iteration_longer_than_the_interval_is_followed_by_the_next_at_once_without_lag()
    {
        Assert.That(LoopPause.After(1, TimeSpan.FromMilliseconds(1500), Own, 0, clockCoalesces: true), Is.LessThanOrEqualTo(TimeSpan.Zero));
    }

    /// <summary>
    /// The reason for the lag, replayed: a leader whose broadcasts come every second plus its
    /// timer latency, and a follower whose pause ends early when a broadcast arrives within
    /// the coalescing window of its due time. With the lag, the follower falls into step from
    /// any start within a minute and then every iteration shares a broadcast's wake-up; without
    /// it, the gap between the two stays where it started and each wakes the follower alone.
    /// </summary>
    [TestCase(true, 3, 60)]
    [TestCase(true, 500, 60)]
    [TestCase(true, 990, 60)]
    [TestCase(false, 3, 0)]
    [TestCase(false, 500, 0)]
    public void Follower_iterations_come_to_share_the_leaders_broadcast_wake_ups(bool withLag, int firstBroadcastMs, int sharedInLastMinute)
    {
        var window = TimeSpan.FromMilliseconds(50);
        var leaderPeriod = TimeSpan.FromSeconds(1) + TimeSpan.FromMicroseconds(400);
        var broadcast = TimeSpan.FromMilliseconds(firstBroadcastMs);
        var due = TimeSpan.Zero;
        var shared = new List<bool>();
        for (var second = 0; second < 120; second++)
        {
            // Broadcasts that arrive while the loop is not yet within the window wake the follower alone.
            while (broadcast < due - window)
            {
                broadcast += leaderPeriod;
            }

            TimeSpan started;
            if (broadcast <= due)
            {
                started = broadcast;
                shared.Add(true);
                broadcast += leaderPeriod;
            }
            else
            {
                started = due;
                shared.Add(false);
            }

            var elapsed = TimeSpan.FromMilliseconds(1);
            due = started + elapsed + LoopPause.After(1, elapsed, Own, 0, clockCoalesces: withLag);
        }

        Assert.That(shared.Skip(60).Count(s => s), Is.EqualTo(sharedInLastMinute));
    }
}
