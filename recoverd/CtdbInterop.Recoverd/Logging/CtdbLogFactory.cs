using System.Net.Sockets;
using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Native;

namespace CtdbInterop.Recoverd.Logging;

/// <summary>Builds the daemon's log from <c>CTDB_LOGGING</c> and <c>CTDB_DEBUGLEVEL</c>.</summary>
internal static class CtdbLogFactory
{
    /// <summary>The level ctdb uses when none is configured.</summary>
    public const CtdbLogLevel DefaultLevel = CtdbLogLevel.Notice;

    /// <summary>
    /// Never fails: an unusable level falls back to NOTICE and an unusable location to
    /// stderr (which ctdbd logs as its own lines), each with a line saying so.
    /// </summary>
    public static CtdbLog Create(CtdbEnvironment environment, LogSinkOptions? options = null)
    {
        options ??= LogSinkOptions.Default;
        var problems = new List<string>();

        if (!DebugLevel.TryParse(environment.DebugLevel, out var level))
        {
            problems.Add(environment.DebugLevel is null
                ? $"CTDB_DEBUGLEVEL is not set, using {DebugLevel.ToName(DefaultLevel)}"
                : $"Invalid CTDB_DEBUGLEVEL \"{environment.DebugLevel}\", using {DebugLevel.ToName(DefaultLevel)}");
            level = DefaultLevel;
        }

        ILogSink sink;
        if (!LogLocation.TryParse(environment.Logging, out var location, out var error))
        {
            problems.Add($"{error}, logging to stderr");
            sink = new StderrLogSink();
        }
        else
        {
            try
            {
                sink = CreateSink(location, environment, options);
            }
            catch (Exception ex) when (ex is UnixException or SocketException or IOException)
            {
                problems.Add($"Unable to set up logging to \"{environment.Logging}\" ({ex.Message}), logging to stderr");
                sink = new StderrLogSink();
            }
        }

        var log = new CtdbLog(sink, level);
        foreach (var problem in problems)
        {
            log.Error(problem);
        }

        return log;
    }

    private static ILogSink CreateSink(LogLocation location, CtdbEnvironment environment, LogSinkOptions options) =>
        location.Target switch
        {
            LogTarget.File => new FileLogSink(location.FilePath!, LogHostName.ForFileLog(environment), CtdbLog.AppName),
            LogTarget.Syslog => new LibcSyslogSink(CtdbLog.AppName),
            LogTarget.SyslogNonBlocking => SocketSyslogSink.ConnectUnix(options.DevLogPath, CtdbLog.AppName),
            LogTarget.SyslogUdp => SocketSyslogSink.ConnectUdp(options.UdpPort, CtdbLog.AppName, null),
            LogTarget.SyslogUdpRfc5424 => SocketSyslogSink.ConnectUdp(options.UdpPort, CtdbLog.AppName, LogHostName.ForSyslog()),
            _ => new StderrLogSink(),
        };
}
