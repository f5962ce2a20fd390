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

    /// <summary>Receives one line for every packet the client dropped or could not use.</summary>
    public Action<string>? Diagnostic { get; init; }
}
