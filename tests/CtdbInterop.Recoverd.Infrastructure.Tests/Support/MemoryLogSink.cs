using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Support;

/// <summary>Collects log messages with their levels.</summary>
internal sealed class MemoryLogSink : ILogSink
{
    private readonly Lock _lock = new();
    private readonly List<(CtdbLogLevel Level, string Text)> _messages = [];

    public IReadOnlyList<(CtdbLogLevel Level, string Text)> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    public IReadOnlyList<string> Texts => [.. Messages.Select(m => m.Text)];

    public int ReopenCount { get; private set; }

    public bool ReopenResult { get; set; } = true;

    public static (CtdbLog Log, MemoryLogSink Sink) CreateLog(CtdbLogLevel level = CtdbLogLevel.Debug)
    {
        var sink = new MemoryLogSink();
        return (new CtdbLog(sink, level), sink);
    }

    public void Write(CtdbLogLevel level, string text)
    {
        lock (_lock)
        {
            _messages.Add((level, text));
        }
    }

    public bool Reopen()
    {
        ReopenCount++;
        return ReopenResult;
    }

    public void Dispose()
    {
    }
}
