namespace CtdbInterop.Bindings.Client;

public sealed record CtdbClientOptions
{
    /// <summary>Time limit for connecting to the socket.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Messages kept for the reader before new ones are dropped (and counted). ctdbd itself
    /// drops a client's messages once its queue holds a million packets; this bound keeps a
    /// stalled consumer from exhausting memory instead.
    /// </summary>
    public int MessageQueueCapacity { get; init; } = 100_000;

    /// <summary>
    /// Completes replies and messages on the reader thread instead of through the thread pool.
    /// Only for a caller whose awaits resume on its own synchronization context and that never
    /// blocks a thread on a reply: the client's own continuations (ConfigureAwait(false)) then
    /// run on the reader thread up to the caller's await, which costs one hand-off per reply
    /// instead of two (the recovery daemon's idle CPU, issue 10).
    /// </summary>
    public bool CompleteOnReaderThread { get; init; }

    /// <summary>
    /// Reads and writes the socket through this poller instead of .NET's socket engine: the
    /// thread that drives the poller receives the replies and completes them (as with
    /// <see cref="CompleteOnReaderThread"/>), so a caller that is that thread gets its replies
    /// without any thread hand-off. The same caller rules apply: that thread must never block
    /// on a reply, or nothing would read it.
    /// </summary>
    public Polling.ReadinessPoller? Poller { get; init; }

    /// <summary>
    /// The clock whose timers time the controls out (default: the system's, whose timers live
    /// on .NET's timer thread). The recovery daemon passes its own thread's timers, so a
    /// control's time limit costs no other thread's wake-up.
    /// </summary>
    public TimeProvider? TimeoutClock { get; init; }

    /// <summary>Receives one line for every packet the client dropped or could not use.</summary>
    public Action<string>? Diagnostic { get; init; }
}
