namespace CtdbInterop.Recoverd.Threading;

/// <summary>
/// A binary wake-up flag with a timed wait on a <see cref="TimeProvider"/> (what a
/// <c>SemaphoreSlim(0, 1)</c> released only when free gives, but with a clock that the
/// simulator can drive). A set flag is consumed by the next wait; a wait that times out
/// returns false without throwing; cancellation throws <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// The daemon waits here several times a second, always with the same stopping token, so one
/// timer (re-armed per wait) and one token registration serve every wait (issue 7, idle CPU).
/// Arming the kept timer takes the same single step of a virtual clock that creating a new
/// one did, so the simulator's schedules are unchanged. On the daemon thread the time-out is a
/// coalescing timer (<see cref="SingleThreadContext.CoalescingTime"/>): the daemon's waits are
/// pauses of a second and timers of seconds, and may end a few milliseconds early when the
/// thread is awake anyway rather than wake it again just after.
/// </remarks>
internal sealed class WakeSignal(TimeProvider time)
{
    private readonly Lock _lock = new();
    private bool _set;
    private TaskCompletionSource<bool>? _waiter;
    private TimeProvider? _timers;
    private ITimer? _timeout;
    private CancellationToken _registeredToken;
    private CancellationTokenRegistration _registration;

    /// <summary>Wakes the current waiter, or the next one if none waits.</summary>
    public void Set()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_lock)
        {
            waiter = _waiter;
            _waiter = null;
            if (waiter is null)
            {
                _set = true;
            }
        }

        waiter?.TrySetResult(true);
    }

    /// <summary>
    /// Moves the time-out of the wait in progress to <paramref name="timeout"/> from now without
    /// waking it; false, changing nothing, when no wait is in progress. A waiter that sleeps
    /// until a deadline that moved is re-armed this way rather than woken only to work out
    /// the new deadline and go back to sleep (issue 7, idle CPU).
    /// </summary>
    public bool Reschedule(TimeSpan timeout)
    {
        // Under the lock: a wait that ends meanwhile disarms the timer after this, so an expiry
        // still belongs to the wait in progress.
        lock (_lock)
        {
            if (_waiter is null || _timeout is null)
            {
                return false;
            }

            _timeout.Change(timeout, Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first. One waiter at a time.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        TaskCompletionSource<bool> waiter;
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return true;
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiter = waiter;
        }

        Register(ct);
        var timer = TimerFor(SingleThreadContext.CoalescingTimersFor(time));
        timer.Change(timeout, Timeout.InfiniteTimeSpan);
        try
        {
            return await waiter.Task;
        }
        finally
        {
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            lock (_lock)
            {
                if (ReferenceEquals(_waiter, waiter))
                {
                    _waiter = null;
                }
            }
        }
    }

    // On the daemon thread the timer is the thread's own (no timer thread, no thread pool);
    // a wait from elsewhere (tests) gets one of its own clock's.
    private ITimer TimerFor(TimeProvider timers)
    {
        if (_timeout is null || !ReferenceEquals(timers, _timers))
        {
            _timeout?.Dispose();
            _timeout = timers.CreateTimer(static state => ((WakeSignal)state!).Expire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timers = timers;
        }

        return _timeout;
    }

    private void Register(CancellationToken ct)
    {
        if (ct != _registeredToken)
        {
            _registration.Dispose();
            _registration = ct.Register(static state => ((WakeSignal)state!).Cancel(), this);
            _registeredToken = ct;
        }
    }

    // The timer is disarmed when a wait ends, so an expiry belongs to the wait in progress.
    // Neither ends the wait's claim on _waiter: until the waiter runs again, a Set() finds it
    // still there and is absorbed by the wait that just ended, as with a timer of its own.
    private void Expire() => CurrentWaiter()?.TrySetResult(false);

    private void Cancel() => CurrentWaiter()?.TrySetCanceled();

    private TaskCompletionSource<bool>? CurrentWaiter()
    {
        lock (_lock)
        {
            return _waiter;
        }
    }
}
