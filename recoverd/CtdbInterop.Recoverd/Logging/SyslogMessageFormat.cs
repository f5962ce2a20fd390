namespace CtdbInterop.Recoverd.Logging;

/// <summary>The two datagram layouts ctdb sends to syslog daemons.</summary>
internal sealed class SyslogMessageFormat(string appName, string? rfc5424Host)
{
    /// <summary>
    /// RFC 3164 without header, <c>&lt;PRI&gt;app[pid]: text</c>, or (with a host name)
    /// RFC 5424, <c>&lt;PRI&gt;1 time host app pid - - text</c>.
    /// </summary>
    public string Format(CtdbLogLevel level, string text)
    {
        var priority = SyslogPriority.LogDaemon | SyslogPriority.FromLevel(level);
        return rfc5424Host is null
            ? $"<{priority}>{appName}[{Environment.ProcessId}]: {text}"
            : $"<{priority}>1 {LogTimestamp.Now()} {rfc5424Host} {appName} {Environment.ProcessId} - - {text}";
    }
}
