namespace CtdbInterop.Bindings.Client.Polling;

/// <summary>One socket watched by a <see cref="ReadinessPoller"/>; disposing it stops the watch.</summary>
public interface ISocketWatch : IDisposable
{
    /// <summary>Also report writability (set while there is output the socket did not take).</summary>
    bool WantWritable { get; set; }

    /// <summary>True when called on the thread that drives the poller (the daemon thread).</summary>
    bool OnPollingThread { get; }

    /// <summary>
    /// Asks for a <see cref="SocketReadiness.Writable"/> report on the polling thread right
    /// before it next sleeps, without waiting for the socket to report room: the owner holds
    /// output written during a burst of work and sends it there as one write.
    /// </summary>
    void FlushBeforeWait();
}
