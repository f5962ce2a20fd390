using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>
/// B10's pause between two iterations of the main loop, and the small lag a follower adds to
/// it so that its loop falls into step with its leader's broadcasts (issue 7, idle CPU).
/// </summary>
/// <remarks>
/// A follower wakes once a second for its own loop and once for the leader's LEADER
/// broadcast. A pause may end early when the daemon is awake anyway (the coalescing window),
/// so a broadcast arriving shortly before the loop is due runs the iteration in its wake-up.
/// That needs the broadcast to arrive within that window before the loop is due. With a
/// pause of exactly a second the follower keeps the leader's rhythm (a second plus the
/// timers' latency on both), so the gap between broadcast and loop stays wherever it
/// started, mostly outside the window. The lag makes the follower's second a little longer:
/// the gap shrinks by the lag each second until a broadcast lands in the window (within a
/// minute from any start), and from then on every broadcast starts the iteration a few
/// milliseconds early, which keeps the two in step. Without a leader the lag only makes the
/// loop that much later.
/// </remarks>
public static class LoopPause
{
    /// <summary>How much later than <c>RecoverInterval</c> a follower's loop is due.</summary>
    public static readonly TimeSpan FollowerLag = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How much later than its second a follower's broadcast-loop tick may run to share the
    /// main loop's wake-up: the lag, plus the time the iteration took before its pause was
    /// measured and the timers' latency, both far below another lag. Were the tick held to the
    /// lag alone, it would come a little before the loop and take it early every second.
    /// </summary>
    public static readonly TimeSpan FollowerTickSlack = FollowerLag * 2;

    /// <summary>
    /// The rest of the interval after an iteration that took <paramref name="elapsed"/>
    /// (zero or less: start the next at once), plus <see cref="FollowerLag"/> on a node that
    /// follows a known leader when the clock coalesces timers (the real clock; the simulator's
    /// virtual clock does not, and its schedules stay as they were).
    /// </summary>
    public static TimeSpan After(uint recoverIntervalSeconds, TimeSpan elapsed, uint ownPnn, uint leader, bool clockCoalesces)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, recoverIntervalSeconds));
        var left = interval - elapsed;
        if (left > TimeSpan.Zero && clockCoalesces && leader != ownPnn && leader != CtdbConstants.UnknownPnn)
        {
            left += FollowerLag;
        }

        return left;
    }
}
