namespace CtdbInterop.Recoverd.Logging;

/// <summary>One log destination. Implementations are thread-safe and never throw from Write.</summary>
internal interface ILogSink : IDisposable
{
    /// <summary>Writes one message (without a trailing newline) at the given level.</summary>
    void Write(CtdbLogLevel level, string text);

    /// <summary>Reopens the destination (log rotation); false when that failed.</summary>
    bool Reopen();
}
