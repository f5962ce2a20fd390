using CtdbInterop.Recoverd.Core.MainLoop;

namespace CtdbInterop.Recoverd.Tests.MainLoop;

[Description("issue 7, idle CPU: the timer pump is woken only when a deadline needs it")]
public class TimerPumpSleepTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Now = TimeSpan.FromSeconds(100);

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    [Test]
    public void Sleep_lasts_until_the_next_deadline_and_at_most_the_idle_limit()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TimerPumpSleep.Length(Now, Now + Ms(300), null, Idle, Window), Is.EqualTo(Ms(300)));
            Assert.That(TimerPumpSleep.Length(Now, Now + TimeSpan.FromSeconds(5), null, Idle, Window), Is.EqualTo(Idle));
            Assert.That(TimerPumpSleep.Length(Now, null, null, Idle, Window), Is.EqualTo(Idle), "no deadline: the safety net");
        });
    }

    [Test]
    public void Election_deadline_within_the_window_is_due_now_other_deadlines_are_waited_for()
    {
        var soon = Now + Ms(20);
        Assert.Multiple(() =>
        {
            Assert.That(TimerPumpSleep.Length(Now, soon, soon, Idle, Window), Is.Null, "the broadcast tick shares this wake-up");
            Assert.That(TimerPumpSleep.Length(Now, soon, Now + Ms(500), Idle, Window), Is.EqualTo(Ms(20)), "a gate's deadline is not taken early");
            Assert.That(TimerPumpSleep.Length(Now, soon, soon, Idle, TimeSpan.Zero), Is.EqualTo(Ms(20)), "the virtual clock takes nothing early");
            Assert.That(TimerPumpSleep.Length(Now, Now - Ms(1), null, Idle, TimeSpan.Zero), Is.Null, "past due");
        });
    }

    [Test]
    public void Running_pump_is_left_alone_it_works_out_its_sleep_before_sleeping()
    {
        // Found measuring issue 7: the broadcast tick's own alignment woke the running pump,
        // which then went round once more for nothing, every second.
        Assert.Multiple(() =>
        {
            Assert.That(TimerPumpSleep.AfterEarlierDeadline(true, null, Now + Ms(10), Ms(10)), Is.EqualTo(PumpNudge.Leave));
            Assert.That(TimerPumpSleep.AfterLaterDeadline(null, Ms(900)), Is.EqualTo(PumpNudge.Leave));
        });
    }

    [Test]
    public void Sleeping_pump_whose_sleep_still_ends_in_time_is_left_alone()
    {
        var until = Now + Ms(400);
        Assert.Multiple(() =>
        {
            Assert.That(TimerPumpSleep.AfterEarlierDeadline(true, until, until, Ms(400)), Is.EqualTo(PumpNudge.Leave), "same deadline");
            Assert.That(TimerPumpSleep.AfterEarlierDeadline(true, until, Now + Ms(900), Ms(900)), Is.EqualTo(PumpNudge.Leave), "a later deadline");
            Assert.That(TimerPumpSleep.AfterEarlierDeadline(true, until, null, Idle), Is.EqualTo(PumpNudge.Leave), "no deadline at all");
        });
    }

    [Test]
    public void Earlier_deadline_shortens_the_sleep_and_one_due_now_wakes_the_pump()
    {
        var until = Now + Ms(900);
        Assert.Multiple(() =>
        {
            Assert.That(TimerPumpSleep.AfterEarlierDeadline(true, until, Now + Ms(300), Ms(300)), Is.EqualTo(PumpNudge.RescheduleTo(Ms(300))));
            Assert.That(TimerPumpSleep.AfterEarlierDeadline(true, until, Now + Ms(10), null), Is.EqualTo(PumpNudge.Wake));
        });
    }

    [Test]
    public void Later_deadline_moves_the_sleep_with_it()
    {
        var until = Now + Ms(980);
        Assert.Multiple(() =>
        {
            Assert.That(TimerPumpSleep.AfterLaterDeadline(until, Ms(1000)), Is.EqualTo(PumpNudge.RescheduleTo(Ms(1000))));
            Assert.That(TimerPumpSleep.AfterLaterDeadline(until, null), Is.EqualTo(PumpNudge.Wake), "something else is due now");
        });
    }

    [Test]
    public void Virtual_clock_wakes_the_pump_every_time_keeping_the_simulator_schedules()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TimerPumpSleep.AfterEarlierDeadline(false, null, Now + Ms(10), Ms(10)), Is.EqualTo(PumpNudge.Wake));
            Assert.That(TimerPumpSleep.AfterEarlierDeadline(false, Now + Ms(400), Now + Ms(400), Ms(400)), Is.EqualTo(PumpNudge.Wake));
        });
    }
}
