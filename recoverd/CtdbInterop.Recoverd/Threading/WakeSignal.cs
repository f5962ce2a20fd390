namespace CtdbInterop.Recoverd.Threading;

/// <summary>
/// A binary wake-up flag with a timed wait on a <see cref="TimeProvider"/> (what a
/// <c>SemaphoreSlim(0, 1)</c> released only when free gives, but with a clock that the
/// simulator can drive). A set flag is consumed by the next wait; a wait that times out
/// returns false without throwing; cancellation throws <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class WakeSignal(TimeProvider time)
{
    private readonly Lock _lock = new();
    private bool _set;
    private TaskCompletionSource<bool>? _waiter;

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

        // On the daemon thread the timer is the thread's own (no timer thread, no thread pool).
        using var timer = SingleThreadContext.TimersFor(time).CreateTimer(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(false), waiter, timeout, Timeout.InfiniteTimeSpan);
        using var registration = ct.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetCanceled(), waiter);
        try
        {
            return await waiter.Task;
        }
        finally
        {
            lock (_lock)
            {
                if (ReferenceEquals(_waiter, waiter))
                {
                    _waiter = null;
                }
            }
        }
    }
}
