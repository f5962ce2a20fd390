namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>What a decision that moved a deadline does to the sleeping timer pump.</summary>
public enum PumpNudgeKind
{
    /// <summary>Nothing: the pump is running and works out its sleep before it sleeps, or its sleep still ends in time.</summary>
    Leave,

    /// <summary>Its sleep now ends after <see cref="PumpNudge.Sleep"/> from now; it is not woken.</summary>
    Reschedule,

    /// <summary>It is woken to run what is due and work out its sleep again.</summary>
    Wake,
}

/// <summary>A <see cref="PumpNudgeKind"/> and, for a reschedule, the new length of the sleep.</summary>
public readonly record struct PumpNudge(PumpNudgeKind Kind, TimeSpan Sleep)
{
    public static PumpNudge Leave { get; } = new(PumpNudgeKind.Leave, TimeSpan.Zero);

    public static PumpNudge Wake { get; } = new(PumpNudgeKind.Wake, TimeSpan.Zero);

    public static PumpNudge RescheduleTo(TimeSpan sleep) => new(PumpNudgeKind.Reschedule, sleep);
}

/// <summary>
/// The daemon's timer pump runs the election, gate and report deadlines. How long it sleeps,
/// and how a moved deadline reaches it. An idle daemon moves a deadline several times a
/// second: every iteration may arm the leader timeout and aligns the broadcast tick with the
/// loop's next wake-up, every leader broadcast received re-arms the timeout, every tick arms
/// the next. On the real clock, waking
/// the pump for each costs a round of the pump that only goes back to sleep, most of the
/// pump's CPU (issue 7, idle CPU: three rounds a second became one). The simulator's
/// virtual clock keeps its schedules: there the pump is woken every time, as before.
/// </summary>
public static class TimerPumpSleep
{
    /// <summary>
    /// How long the pump sleeps from <paramref name="now"/>: until <paramref name="nextDeadline"/>,
    /// at most <paramref name="idle"/>; null when a deadline is due. An election deadline
    /// (<paramref name="electionDeadline"/>) within <paramref name="coalesceWindow"/> counts as
    /// due: the broadcast tick then shares the wake-up the thread is in; the others are waited for.
    /// </summary>
    public static TimeSpan? Length(TimeSpan now, TimeSpan? nextDeadline, TimeSpan? electionDeadline, TimeSpan idle, TimeSpan coalesceWindow)
    {
        var wait = nextDeadline is { } deadline ? deadline - now : idle;
        if (wait > idle)
        {
            wait = idle;
        }

        return wait > (nextDeadline == electionDeadline ? coalesceWindow : TimeSpan.Zero) ? wait : null;
    }

    /// <summary>
    /// A decision may have armed an earlier deadline. <paramref name="sleepsUntil"/>: when the
    /// pump's sleep ends, null while it runs; <paramref name="sleep"/>: <see cref="Length"/> now.
    /// </summary>
    public static PumpNudge AfterEarlierDeadline(bool coalescingClock, TimeSpan? sleepsUntil, TimeSpan? nextDeadline, TimeSpan? sleep)
    {
        if (!coalescingClock)
        {
            return PumpNudge.Wake;
        }

        if (sleepsUntil is not { } until || !(nextDeadline < until))
        {
            return PumpNudge.Leave;
        }

        return sleep is { } wait ? PumpNudge.RescheduleTo(wait) : PumpNudge.Wake;
    }

    /// <summary>
    /// A deadline moved later (a follower's broadcast tick aligned with the loop's next wake-up;
    /// real clock only). A sleeping pump would otherwise wake at the old deadline, pulling the
    /// main loop's wake-up with it.
    /// </summary>
    public static PumpNudge AfterLaterDeadline(TimeSpan? sleepsUntil, TimeSpan? sleep)
    {
        if (sleepsUntil is null)
        {
            return PumpNudge.Leave;
        }

        return sleep is { } wait ? PumpNudge.RescheduleTo(wait) : PumpNudge.Wake;
    }
}
