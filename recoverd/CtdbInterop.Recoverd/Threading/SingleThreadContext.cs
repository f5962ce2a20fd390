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
    private int _threadId;

    private SingleThreadContext()
    {
        Time = new ContextTimeProvider(this);
        Poller = new ReadinessPoller();
    }

    /// <summary>The real clock, with timers whose callbacks run on this context's thread.</summary>
    public TimeProvider Time { get; }

    /// <summary>Sockets watched here have their readiness callbacks run on this context's thread.</summary>
    public ReadinessPoller Poller { get; }

    /// <summary>The poller of the context the caller runs on, if it runs on a <see cref="SingleThreadContext"/>.</summary>
    public static ReadinessPoller? CurrentPoller => (Current as SingleThreadContext)?.Poller;

    /// <summary>
    /// Timers for <paramref name="time"/>: the daemon thread's own timers when it is the real
    /// clock and the caller runs on a <see cref="SingleThreadContext"/>, else
    /// <paramref name="time"/> itself (the simulator's virtual clock, tests).
    /// </summary>
    public static TimeProvider TimersFor(TimeProvider time) =>
        ReferenceEquals(time, TimeProvider.System) && Current is SingleThreadContext context ? context.Time : time;

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
                    return false;
                }

                var now = Environment.TickCount64;
                var next = long.MaxValue;
                foreach (var timer in _timers)
                {
                    if (timer.DueAt <= now)
                    {
                        item = (static t => ((ContextTimer)t!).Fire(), timer);
                        timer.Advance(now);
                        if (timer.DueAt == long.MaxValue)
                        {
                            _timers.Remove(timer);
                        }

                        return true;
                    }

                    next = Math.Min(next, timer.DueAt);
                }

                // Bounded: a timer is at most int.MaxValue ms away; without one the wait is open
                // (Post, Complete and Schedule wake it).
                timeoutMs = next == long.MaxValue ? -1 : (int)Math.Min(next - now, int.MaxValue);
                _sleeping = true;
            }

            Poller.WaitAndDispatch(timeoutMs);
            lock (_gate)
            {
                _sleeping = false;
            }
        }
    }

    /// <summary>Arms, re-arms or (with an infinite due time) disarms <paramref name="timer"/>.</summary>
    private void Schedule(ContextTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            timer.Set(Environment.TickCount64, dueTime, period);
            var listed = _timers.Contains(timer);
            if (timer.DueAt == long.MaxValue)
            {
                _timers.Remove(timer);
                return;
            }

            if (!listed)
            {
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

    /// <summary>The real clock whose timers live in the context.</summary>
    private sealed class ContextTimeProvider(SingleThreadContext context) : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ArgumentNullException.ThrowIfNull(callback);
            var timer = new ContextTimer(context, callback, state);
            context.Schedule(timer, dueTime, period);
            return timer;
        }
    }

    /// <summary>One timer; its callback runs on the context's thread.</summary>
    private sealed class ContextTimer(SingleThreadContext context, TimerCallback callback, object? state) : ITimer
    {
        private long _period = -1;
        private bool _disposed;

        /// <summary>Milliseconds (Environment.TickCount64) when it fires next; long.MaxValue when disarmed.</summary>
        public long DueAt { get; private set; } = long.MaxValue;

        public void Set(long now, TimeSpan dueTime, TimeSpan period)
        {
            DueAt = _disposed || dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : now + Milliseconds(dueTime);
            _period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? -1 : Milliseconds(period);
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

        // Rounded up, so a timer never fires before its time.
        private static long Milliseconds(TimeSpan span) => Math.Max(0, (span.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
    }
}
