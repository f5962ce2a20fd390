using Microsoft.Extensions.Logging;

namespace CtdbInterop.Recoverd.Logging;

/// <summary>
/// Routes Microsoft.Extensions.Logging (the host, and [LoggerMessage] methods if the loop
/// uses them) into <see cref="CtdbLog"/>. Levels: Critical/Error → ERROR, Warning → WARNING,
/// Information → NOTICE, Debug → INFO, Trace → DEBUG. Exceptions add their message; the
/// stack trace only at DEBUG.
/// </summary>
internal sealed class CtdbLoggerProvider(CtdbLog log) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CtdbLogger(log);

    public void Dispose()
    {
    }

    public static CtdbLogLevel ToCtdbLevel(LogLevel level) => level switch
    {
        LogLevel.Critical or LogLevel.Error => CtdbLogLevel.Error,
        LogLevel.Warning => CtdbLogLevel.Warning,
        LogLevel.Information => CtdbLogLevel.Notice,
        LogLevel.Debug => CtdbLogLevel.Info,
        _ => CtdbLogLevel.Debug,
    };

    private sealed class CtdbLogger(CtdbLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && log.IsEnabled(ToCtdbLevel(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var level = ToCtdbLevel(logLevel);
            var text = formatter(state, exception);
            if (exception is not null)
            {
                text = log.IsEnabled(CtdbLogLevel.Debug) ? $"{text}: {exception}" : $"{text}: {exception.Message}";
            }

            log.Log(level, text);
        }
    }
}
