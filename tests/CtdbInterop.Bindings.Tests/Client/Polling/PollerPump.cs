using CtdbInterop.Bindings.Client.Polling;

namespace CtdbInterop.Bindings.Tests.Client.Polling;

/// <summary>A thread that drives a <see cref="ReadinessPoller"/>, as the daemon thread does.</summary>
internal sealed class PollerPump : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _dispatched;

    /// <param name="context">Installed on the pump thread, as the daemon thread has its own.</param>
    public PollerPump(SynchronizationContext? context = null)
    {
        _thread = new Thread(() =>
        {
            SynchronizationContext.SetSynchronizationContext(context);
            while (!_stopping)
            {
                Interlocked.Add(ref _dispatched, Poller.WaitAndDispatch(1000));
            }
        })
        { IsBackground = true, Name = "test poller" };
        _thread.Start();
    }

    public ReadinessPoller Poller { get; } = new();

    public int ThreadId => _thread.ManagedThreadId;

    /// <summary>Readiness callbacks run so far.</summary>
    public long Dispatched => Interlocked.Read(ref _dispatched);

    public void Dispose()
    {
        _stopping = true;
        Poller.Wake();
        _thread.Join(TimeSpan.FromSeconds(10));
        Poller.Dispose();
    }
}
