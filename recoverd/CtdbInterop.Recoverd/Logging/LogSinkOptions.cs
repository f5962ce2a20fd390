namespace CtdbInterop.Recoverd.Logging;

/// <summary>Fixed addresses of the syslog backends; tests substitute their own listeners.</summary>
internal sealed record LogSinkOptions(string DevLogPath, int UdpPort)
{
    public static LogSinkOptions Default { get; } = new("/dev/log", SocketSyslogSink.DefaultUdpPort);
}
