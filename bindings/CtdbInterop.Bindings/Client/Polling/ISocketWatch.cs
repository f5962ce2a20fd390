namespace CtdbInterop.Bindings.Client.Polling;

/// <summary>One socket watched by a <see cref="ReadinessPoller"/>; disposing it stops the watch.</summary>
public interface ISocketWatch : IDisposable
{
    /// <summary>Also report writability (set while there is output the socket did not take).</summary>
    bool WantWritable { get; set; }
}
