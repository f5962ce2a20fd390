using System.Diagnostics;
using CtdbInterop.Bindings.Client.Polling;

namespace CtdbInterop.Recoverd.Threading;

/// <summary>
/// The daemon's one logical thread of control. Every piece of daemon logic — the main
/// loop, message handlers, timers, election and lock work — runs as async code on this
/// single thread, so state is never touched concurrently and work interleaves only at
/// awaits. Unlike the C daemon's nested event loops, an await never runs another loop
/// iteration inside this one: the guards that keep elections from nesting live in the
/// decision core and are checked after every await.
/// </summary>
/// <remarks>
/// The context also owns the daemon's timers (<see cref="Time"/>) and its sockets
/// (<see cref="Poller"/>): the thread sleeps in one poll until the next posted callback, the
/// next timer or a watched socket's data, whichever comes first, so neither a timer nor a
/// reply from ctdbd costs a wake-up of another thread (issue 10 and issue 7, idle CPU).
/// </remarks>
public sealed class SingleThreadContext : SynchronizationContext, IDisposable
{
    // A plain lock-guarded queue: BlockingCollection's semaphore spins (sched_yield) before it
    // sleeps, which at ~30 wake-ups a second was most of the idle daemon's CPU (issue 7).
    private readonly Lock _gate = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly List<ContextTimer> _timers = [];
    private bool _completed;
    private bool _sleeping;
    private long _wakeUps;
    private int _threadId;

    /// <summary>
    /// How early a timer of <see cref="CoalescingTime"/> may fire when the thread is awake
    /// anyway. The daemon's two once-a-second timers (the main loop's pause and the broadcast
    /// loop, B73) drift a few milliseconds apart; without this each costs its own wake-up.
    /// </summary>
    public static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(50);

    // Longer due times are as good as never (System.Threading.Timer refuses them outright).
    private static readonly TimeSpan MaxSpan = TimeSpan.FromDays(1000);

    private SingleThreadContext()
    {
        Time = new ContextTimeProvider(this, earlyBy: 0);
        CoalescingTime = new ContextTimeProvider(this, Timestamps(CoalesceWindow));
        Poller = new ReadinessPoller();
    }

    /// <summary>The real clock, with timers whose callbacks run on this context's thread.</summary>
    public TimeProvider Time { get; }

    /// <summary>
    /// As <see cref="Time"/>, but a timer may fire up to <see cref="CoalesceWindow"/> early when
    /// the thread is awake for something else, so that timers due close together share one
    /// wake-up (issue 7, idle CPU). Never late, and never the sole reason to wake early.
    /// For deadlines that tolerate it: pauses, periodic ticks, timeouts of seconds.
    /// </summary>
    public TimeProvider CoalescingTime { get; }

    /// <summary>Sockets watched here have their readiness callbacks run on this context's thread.</summary>
    public ReadinessPoller Poller { get; }

    /// <summary>The poller of the context the caller runs on, if it runs on a <see cref="SingleThreadContext"/>.</summary>
    public static ReadinessPoller? CurrentPoller => (Current as SingleThreadContext)?.Poller;

    /// <summary>
    /// Timers for <paramref name="time"/>: the daemon thread's own timers when it is the real
    /// clock and the caller runs on a <see cref="SingleThreadContext"/>, else
    /// <paramref name="time"/> itself (the simulator's virtual clock, tests).
    /// </summary>
    public static TimeProvider TimersFor(TimeProvider time) => DaemonThreadFor(time)?.Time ?? time;

    /// <summary>
    /// How far ahead a deadline of <paramref name="time"/> may be taken as due when the caller
    /// is awake anyway: <see cref="CoalesceWindow"/> on the daemon thread's real clock, zero on
    /// any other clock (the simulator's schedules do not move).
    /// </summary>
    public static TimeSpan CoalesceWindowFor(TimeProvider time) => DaemonThreadFor(time) is null ? TimeSpan.Zero : CoalesceWindow;

    /// <summary>As <see cref="TimersFor"/>, with the daemon thread's <see cref="CoalescingTime"/>.</summary>
    public static TimeProvider CoalescingTimersFor(TimeProvider time) => DaemonThreadFor(time)?.CoalescingTime ?? time;

    // The context whose timers stand in for the real clock's: the caller's, when it runs on
    // one and asks for the real clock. A virtual clock (the simulator) keeps its own timers.
    private static SingleThreadContext? DaemonThreadFor(TimeProvider time) =>
        ReferenceEquals(time, TimeProvider.System) ? Current as SingleThreadContext : null;

    /// <summary>
    /// Runs <paramref name="main"/> on the calling thread with this context installed and
    /// returns when it completes; continuations of everything it starts run here too.
    /// </summary>
    public static T Run<T>(Func<Task<T>> main)
    {
        ArgumentNullException.ThrowIfNull(main);
        var previous = Current;
        using var context = new SingleThreadContext();
        SetSynchronizationContext(context);
        try
        {
            context._threadId = Environment.CurrentManagedThreadId;
            var task = main();
            task.ContinueWith(_ => context.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            while (context.TryTake(out var item))
            {
                item.Callback(item.State);
            }

            return task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    /// <summary>True when called on the daemon thread.</summary>
    public bool IsCurrentThread => Environment.CurrentManagedThreadId == _threadId;

    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        lock (_gate)
        {
            // Once the daemon is shutting down, late continuations have nothing left to do.
            if (!_completed)
            {
                _queue.Enqueue((d, state));
                WakeIfSleeping();
            }
        }
    }

    private void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            WakeIfSleeping();
        }
    }

    // Caller holds _gate. Only a sleeping thread needs the system call; the daemon thread
    // itself posts while it dispatches socket callbacks and looks at its queue right after.
    private void WakeIfSleeping()
    {
        if (_sleeping && !IsCurrentThread)
        {
            _sleeping = false;
            Poller.Wake();
        }
    }

    /// <summary>
    /// The next callback (a posted one, else a due timer); false once completed and drained.
    /// While it waits, ready sockets' callbacks run here.
    /// </summary>
    private bool TryTake(out (SendOrPostCallback Callback, object? State) item)
    {
        while (true)
        {
            int timeoutMs;
            lock (_gate)
            {
                if (_queue.TryDequeue(out item))
                {
                    return true;
                }

                if (_completed)
                {
                    break;
                }

                var now = Stopwatch.GetTimestamp();
                if (TakeDueTimer(now, out var next) is { } due)
                {
                    item = (static t => ((ContextTimer)t!).Fire(), due);
                    return true;
                }

                // Bounded: a timer is at most int.MaxValue ms away; without one the wait is open
                // (Post, Complete and Schedule wake it).
                timeoutMs = next == long.MaxValue ? -1 : (int)Math.Min(CeilingMilliseconds(next - now), int.MaxValue);
                _sleeping = true;
            }

            Poller.WaitAndDispatch(timeoutMs);
            lock (_gate)
            {
                _sleeping = false;
                _wakeUps++;
            }
        }

        // Output held for the next wait goes out before the thread stops polling for good.
        Poller.Flush();
        return false;
    }

    /// <summary>
    /// Caller holds _gate. The due timer with the earliest deadline, advanced to its next
    /// period (or unlisted); else null and the earliest deadline of all. A coalescing timer
    /// counts as due up to its window early: the thread is awake now anyway. Only once the
    /// thread has slept since the timer was armed: one armed just now for a moment within its
    /// window would otherwise fire at once, again and again.
    /// </summary>
    private ContextTimer? TakeDueTimer(long now, out long next)
    {
        next = long.MaxValue;
        var dueIndex = -1;
        for (var i = 0; i < _timers.Count; i++)
        {
            var timer = _timers[i];
            var early = timer.ArmedAt < _wakeUps ? timer.EarlyBy : 0;
            if (timer.DueAt - early <= now && (dueIndex < 0 || timer.DueAt < _timers[dueIndex].DueAt))
            {
                dueIndex = i;
            }

            next = Math.Min(next, timer.DueAt);
        }

        if (dueIndex < 0)
        {
            return null;
        }

        var due = _timers[dueIndex];
        due.Advance(now);
        due.ArmedAt = _wakeUps;
        if (due.DueAt == long.MaxValue)
        {
            Unlist(dueIndex);
        }

        return due;
    }

    // Caller holds _gate. Order does not matter: the earliest deadline is searched for.
    private void Unlist(int index)
    {
        _timers[index].Listed = false;
        var last = _timers.Count - 1;
        _timers[index] = _timers[last];
        _timers.RemoveAt(last);
    }

    /// <summary>Arms, re-arms or (with an infinite due time) disarms <paramref name="timer"/>.</summary>
    private void Schedule(ContextTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            timer.Set(Stopwatch.GetTimestamp(), dueTime, period);
            timer.ArmedAt = _wakeUps;
            if (timer.DueAt == long.MaxValue)
            {
                if (timer.Listed)
                {
                    // By reference: List.IndexOf's generic comparer lookup costs more than the scan.
                    for (var i = 0; i < _timers.Count; i++)
                    {
                        if (ReferenceEquals(_timers[i], timer))
                        {
                            Unlist(i);
                            break;
                        }
                    }
                }

                return;
            }

            if (!timer.Listed)
            {
                timer.Listed = true;
                _timers.Add(timer);
            }

            // The thread may be asleep until a later deadline (or none).
            WakeIfSleeping();
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("synchronous dispatch onto the daemon thread would block it");

    public override SynchronizationContext CreateCopy() => this;

    public void Dispose() => Poller.Dispose();

    // Timers run on the precise monotonic clock: Environment.TickCount64 is the coarse one
    // (a jiffy, 4 ms here), which fired timers up to that much before their time.

    /// <summary><paramref name="span"/> in <see cref="Stopwatch.GetTimestamp"/> units, rounded up: rounding never makes a timer early.</summary>
    private static long Timestamps(TimeSpan span)
    {
        var ticks = Math.Clamp(span.Ticks, 0, MaxSpan.Ticks);
        return (long)(((Int128)ticks * Stopwatch.Frequency + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
    }

    /// <summary><paramref name="timestamps"/> (a positive span of <see cref="Stopwatch.GetTimestamp"/> units) in whole milliseconds, rounded up.</summary>
    private static long CeilingMilliseconds(long timestamps)
    {
        var perMillisecond = Stopwatch.Frequency / 1000;
        return (Math.Max(0, timestamps) + perMillisecond - 1) / perMillisecond;
    }

    /// <summary>The real clock whose timers live in the context.</summary>
    private sealed class ContextTimeProvider(SingleThreadContext context, long earlyBy) : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ArgumentNullException.ThrowIfNull(callback);
            var timer = new ContextTimer(context, callback, state, earlyBy);
            context.Schedule(timer, dueTime, period);
            return timer;
        }
    }

    /// <summary>One timer; its callback runs on the context's thread.</summary>
    private sealed class ContextTimer(SingleThreadContext context, TimerCallback callback, object? state, long earlyBy) : ITimer
    {
        private long _period = -1;
        private bool _disposed;

        /// <summary>When it fires next (<see cref="Stopwatch.GetTimestamp"/>); long.MaxValue when disarmed.</summary>
        public long DueAt { get; private set; } = long.MaxValue;

        /// <summary>How early (in timestamp units) it may fire when the thread is awake anyway.</summary>
        public long EarlyBy => earlyBy;

        /// <summary>In the context's list of armed timers; guarded by the context's lock.</summary>
        public bool Listed { get; set; }

        /// <summary>The context's count of wake-ups when it was last armed; guarded by the context's lock.</summary>
        public long ArmedAt { get; set; }

        public void Set(long now, TimeSpan dueTime, TimeSpan period)
        {
            DueAt = _disposed || dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : now + Timestamps(dueTime);
            _period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? -1 : Timestamps(period);
        }

        /// <summary>After firing: the next period, or disarmed.</summary>
        public void Advance(long now) => DueAt = _period > 0 && !_disposed ? now + _period : long.MaxValue;

        public void Fire()
        {
            if (!_disposed)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed)
            {
                return false;
            }

            context.Schedule(this, dueTime, period);
            return true;
        }

        public void Dispose()
        {
            _disposed = true;
            context.Schedule(this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

    }
}
