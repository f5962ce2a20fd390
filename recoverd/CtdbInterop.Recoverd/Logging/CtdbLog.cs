namespace CtdbInterop.Recoverd.Logging;

/// <summary>
/// The daemon's log, in ctdb's formats and levels. Thread-safe. The level can change at
/// run time (the loop applies ctdbd's level every iteration, B16).
/// </summary>
internal sealed class CtdbLog : IDisposable
{
    /// <summary>The application name ctdb uses for the recovery daemon's log lines.</summary>
    public const string AppName = "ctdb-recoverd";

    private readonly ILogSink _sink;
    private volatile int _level;

    public CtdbLog(ILogSink sink, CtdbLogLevel level)
    {
        _sink = sink;
        _level = (int)level;
    }

    /// <summary>The current level: messages at this level or below are written.</summary>
    public CtdbLogLevel Level
    {
        get => (CtdbLogLevel)_level;
        set => _level = (int)value;
    }

    /// <summary>The destination, for diagnostics and tests.</summary>
    public ILogSink Sink => _sink;

    public bool IsEnabled(CtdbLogLevel level) => (int)level <= _level;

    public void Log(CtdbLogLevel level, string text)
    {
        if (IsEnabled(level))
        {
            _sink.Write(level, text.EndsWith('\n') ? text[..^1] : text);
        }
    }

    public void Error(string text) => Log(CtdbLogLevel.Error, text);

    public void Warning(string text) => Log(CtdbLogLevel.Warning, text);

    public void Notice(string text) => Log(CtdbLogLevel.Notice, text);

    public void Info(string text) => Log(CtdbLogLevel.Info, text);

    public void Debug(string text) => Log(CtdbLogLevel.Debug, text);

    /// <summary>SIGHUP: reopen the destination and say so, with ctdb's words.</summary>
    public bool ReopenLogs()
    {
        var reopened = _sink.Reopen();
        if (reopened)
        {
            Notice("Reopened logs");
        }
        else
        {
            Warning("Failed to reopen logs");
        }

        return reopened;
    }

    public void Dispose() => _sink.Dispose();
}
