namespace CtdbInterop.Recoverd.Threading;

/// <summary>
/// FIFO mutual exclusion for async code. Unlike <see cref="SemaphoreSlim"/>'s cancellable
/// wait, a waiter resumes through the awaiting code's own context (never via a thread-pool
/// continuation), so the daemon stays on its one thread and the simulator stays deterministic.
/// </summary>
internal sealed class AsyncMutex
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private bool _held;

    /// <summary>Enters when free, else waits in arrival order; cancellation throws <see cref="OperationCanceledException"/>.</summary>
    public Task WaitAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                return Task.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        return WaitForTurnAsync(waiter, ct);
    }

    /// <summary>Enters when free, without waiting; false when held.</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_held)
            {
                return false;
            }

            _held = true;
            return true;
        }
    }

    private static async Task WaitForTurnAsync(TaskCompletionSource waiter, CancellationToken ct)
    {
        using (ct.Register(static s => ((TaskCompletionSource)s!).TrySetCanceled(), waiter))
        {
            await waiter.Task;
        }
    }

    /// <summary>Hands the mutex to the next waiter that has not given up, or frees it.</summary>
    public void Release()
    {
        lock (_lock)
        {
            while (_waiters.TryDequeue(out var next))
            {
                if (next.TrySetResult())
                {
                    return;
                }
            }

            _held = false;
        }
    }
}
