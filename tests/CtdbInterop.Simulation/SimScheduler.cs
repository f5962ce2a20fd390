namespace CtdbInterop.Simulation;

/// <summary>
/// The one thread of every simulated node: a <see cref="SynchronizationContext"/> whose posted
/// callbacks run in FIFO order, plus virtual timers ordered by (due time, creation order).
/// Time only moves when nothing is ready to run, so a run is a pure function of its inputs.
/// </summary>
internal sealed class SimScheduler : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _ready = new();
    private readonly PriorityQueue<SimTimer, (long Due, long Seq)> _timers = new();
    private readonly int _threadId = Environment.CurrentManagedThreadId;
    private long _seq;

    /// <summary>Virtual time in ticks since the start of the run.</summary>
    public long NowTicks { get; private set; }

    public TimeSpan Now => TimeSpan.FromTicks(NowTicks);

    /// <summary>Called after every callback or timer (invariant checks).</summary>
    public Action? AfterStep { get; set; }

    /// <summary>Set when anything posted from another thread (a determinism leak).</summary>
    public string? ForeignPost { get; private set; }

    public long Steps { get; private set; }

    /// <summary>
    /// Steps allowed at one virtual instant. Real daemons always wait for something (a reply,
    /// a timer) within a few hundred steps; a run past this bound is a livelock (a loop that
    /// re-posts itself without time moving), reported instead of spinning the run forever.
    /// </summary>
    public const long MaxStepsPerInstant = 200_000;

    /// <summary>Steps allowed in one run (a schedule takes about two thousand).</summary>
    public const long MaxStepsPerRun = 5_000_000;

    /// <summary>Set when a run stopped because time stood still for <see cref="MaxStepsPerInstant"/> steps.</summary>
    public string? Livelock { get; private set; }

    public override void Post(SendOrPostCallback d, object? state)
    {
        if (Environment.CurrentManagedThreadId != _threadId)
        {
            ForeignPost ??= $"a continuation was posted from another thread: {Environment.StackTrace}";
            return;
        }

        _ready.Enqueue((d, state));
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("the simulation has one thread");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="action"/> as its own step at the current time.</summary>
    public void Enqueue(Action action) => Post(static s => ((Action)s!)(), action);

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> of virtual time.</summary>
    public void At(TimeSpan delay, Action action) => Timer(delay, action);

    /// <summary>As <see cref="At"/>, returning the timer so it can be cancelled (disposed).</summary>
    public SimTimer Timer(TimeSpan delay, Action action)
    {
        var timer = new SimTimer(this, null, static s => ((Action)s!)(), action);
        timer.Change(delay, Timeout.InfiniteTimeSpan);
        return timer;
    }

    internal void Schedule(SimTimer timer, long due) => _timers.Enqueue(timer, (due, _seq++));

    /// <summary>Runs until <paramref name="stop"/> says so or virtual time reaches <paramref name="limit"/>.</summary>
    public void Run(TimeSpan limit, Func<bool> stop)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            var limitTicks = limit.Ticks;
            var instant = NowTicks;
            long stepsAtInstant = 0;
            while (!stop())
            {
                if (NowTicks != instant)
                {
                    instant = NowTicks;
                    stepsAtInstant = 0;
                }
                else if (++stepsAtInstant > MaxStepsPerInstant)
                {
                    Livelock = $"{MaxStepsPerInstant} steps at {Now.TotalSeconds:0.000} s without time moving ({_ready.Count} callbacks ready)";
                    return;
                }

                if (Steps > MaxStepsPerRun)
                {
                    Livelock = $"{MaxStepsPerRun} steps by {Now.TotalSeconds:0.000} s ({_ready.Count} callbacks ready)";
                    return;
                }

                if (_ready.TryDequeue(out var item))
                {
                    item.Callback(item.State);
                }
                else if (_timers.TryDequeue(out var timer, out var key))
                {
                    if (key.Due > limitTicks)
                    {
                        NowTicks = limitTicks;
                        return;
                    }

                    if (key.Due > NowTicks)
                    {
                        NowTicks = key.Due;
                    }

                    if (!timer.Fire(key.Seq))
                    {
                        continue;
                    }
                }
                else
                {
                    NowTicks = limitTicks;
                    return;
                }

                Steps++;
                AfterStep?.Invoke();
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    internal long NextSeq() => _seq;
}

/// <summary>A virtual one-shot or periodic timer; stale queue entries are skipped by sequence number.</summary>
internal sealed class SimTimer : ITimer
{
    private readonly SimScheduler _scheduler;
    private readonly VirtualClock? _owner;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private long _armedSeq = -1;
    private long _period;
    private bool _disposed;

    public SimTimer(SimScheduler scheduler, VirtualClock? owner, TimerCallback callback, object? state)
    {
        _scheduler = scheduler;
        _owner = owner;
        _callback = callback;
        _state = state;
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (_disposed)
        {
            return false;
        }

        _period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            _armedSeq = -1;
            return true;
        }

        _armedSeq = _scheduler.NextSeq();
        _scheduler.Schedule(this, _scheduler.NowTicks + Math.Max(0, dueTime.Ticks));
        return true;
    }

    /// <summary>False when the entry was stale (re-armed, disposed, or its owner is dead).</summary>
    internal bool Fire(long seq)
    {
        if (_disposed || seq != _armedSeq || _owner is { IsAlive: false })
        {
            return false;
        }

        if (_period > 0)
        {
            _armedSeq = _scheduler.NextSeq();
            _scheduler.Schedule(this, _scheduler.NowTicks + _period);
        }
        else
        {
            _armedSeq = -1;
        }

        _callback(_state);
        return true;
    }

    public void Dispose() => _disposed = true;

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// One daemon's clock: virtual monotonic time, a wall clock with a per-node skew (priority
/// times are wall-clock, B80), and timers that die with the daemon instance.
/// </summary>
internal sealed class VirtualClock(SimScheduler scheduler, TimeSpan wallSkew) : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    public bool IsAlive { get; private set; } = true;

    public void Kill() => IsAlive = false;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => scheduler.NowTicks;

    public override DateTimeOffset GetUtcNow() => Epoch + scheduler.Now + wallSkew;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SimTimer(scheduler, this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }
}
