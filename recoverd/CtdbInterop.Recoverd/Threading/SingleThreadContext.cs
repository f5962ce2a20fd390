namespace CtdbInterop.Recoverd.Threading;

/// <summary>
/// The daemon's one logical thread of control. Every piece of daemon logic — the main
/// loop, message handlers, timers, election and lock work — runs as async code on this
/// single thread, so state is never touched concurrently and work interleaves only at
/// awaits. Unlike the C daemon's nested event loops, an await never runs another loop
/// iteration inside this one: the guards that keep elections from nesting live in the
/// decision core and are checked after every await.
/// </summary>
public sealed class SingleThreadContext : SynchronizationContext, IDisposable
{
    // A plain monitor-guarded queue: BlockingCollection's semaphore spins (sched_yield) before
    // it sleeps, which at ~30 wake-ups a second was most of the idle daemon's CPU (issue 7).
    private readonly object _gate = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private bool _completed;
    private int _threadId;

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
                Monitor.Pulse(_gate);
            }
        }
    }

    private void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>The next callback; false once completed and drained.</summary>
    private bool TryTake(out (SendOrPostCallback Callback, object? State) item)
    {
        lock (_gate)
        {
            while (_queue.Count == 0 && !_completed)
            {
                Monitor.Wait(_gate);
            }

            return _queue.TryDequeue(out item);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("synchronous dispatch onto the daemon thread would block it");

    public override SynchronizationContext CreateCopy() => this;

    public void Dispose()
    {
        // Nothing to release: the queue holds no native resources.
    }
}
