namespace CtdbInterop.Recoverd.Logging;

/// <summary>Where log lines go, from <c>CTDB_LOGGING</c> (ctdb.conf <c>[logging] location</c>).</summary>
internal enum LogTarget
{
    /// <summary><c>file:</c> or <c>file:-</c>: plain text on stderr, no header.</summary>
    Stderr,

    /// <summary><c>file:PATH</c>: appended lines with time, host and process header.</summary>
    File,

    /// <summary><c>syslog</c>: the C library's syslog(3).</summary>
    Syslog,

    /// <summary><c>syslog:nonblocking</c>: datagrams to /dev/log, dropped (and counted) when full.</summary>
    SyslogNonBlocking,

    /// <summary><c>syslog:udp</c>: RFC 3164 datagrams to 127.0.0.1:514.</summary>
    SyslogUdp,

    /// <summary><c>syslog:udp-rfc5424</c>: RFC 5424 datagrams to 127.0.0.1:514.</summary>
    SyslogUdpRfc5424,
}

/// <summary>A parsed <c>CTDB_LOGGING</c> value.</summary>
internal sealed record LogLocation(LogTarget Target, string? FilePath)
{
    public static LogLocation StandardError { get; } = new(LogTarget.Stderr, null);

    /// <summary>
    /// Parses <c>backend[:option]</c>. Like ctdb (which uses strtok), empty fields between
    /// colons are skipped and anything after the option is ignored.
    /// </summary>
    public static bool TryParse(string? text, out LogLocation location, out string? error)
    {
        location = StandardError;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "CTDB_LOGGING is not set";
            return false;
        }

        var fields = text.Split(':', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0)
        {
            error = $"Invalid logging option '{text}'";
            return false;
        }

        var option = fields.Length > 1 ? fields[1] : null;

        switch (fields[0])
        {
            case "file":
                location = option is null or "-" ? StandardError : new LogLocation(LogTarget.File, option);
                return true;
            case "syslog":
                LogTarget? target = option switch
                {
                    null => LogTarget.Syslog,
                    "nonblocking" => LogTarget.SyslogNonBlocking,
                    "udp" => LogTarget.SyslogUdp,
                    "udp-rfc5424" => LogTarget.SyslogUdpRfc5424,
                    _ => null,
                };
                if (target is null)
                {
                    error = $"Invalid syslog logging option '{option}'";
                    return false;
                }

                location = new LogLocation(target.Value, null);
                return true;
            default:
                error = $"Invalid logging option '{text}'";
                return false;
        }
    }
}
