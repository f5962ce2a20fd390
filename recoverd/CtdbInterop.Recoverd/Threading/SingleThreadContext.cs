using System.Collections.Concurrent;

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
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();
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
            task.ContinueWith(_ => context._queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var (callback, state) in context._queue.GetConsumingEnumerable())
            {
                callback(state);
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
        if (!_queue.IsAddingCompleted)
        {
            try
            {
                _queue.Add((d, state));
            }
            catch (InvalidOperationException)
            {
                // The daemon is shutting down; late continuations have nothing left to do.
            }
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("synchronous dispatch onto the daemon thread would block it");

    public override SynchronizationContext CreateCopy() => this;

    public void Dispose() => _queue.Dispose();
}
