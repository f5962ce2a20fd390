namespace CtdbInterop.Recoverd.Logging;

/// <summary>Maps ctdb debug levels to syslog priorities as Samba's debug code does.</summary>
internal static class SyslogPriority
{
    public const int LogErr = 3;
    public const int LogWarning = 4;
    public const int LogNotice = 5;
    public const int LogInfo = 6;
    public const int LogDebug = 7;

    /// <summary>The daemon facility (<c>LOG_DAEMON</c>), already shifted.</summary>
    public const int LogDaemon = 3 << 3;

    /// <summary>0 → ERR, 1 → WARNING, 2–5 → NOTICE (INFO is logged as NOTICE), 6–9 → INFO, else DEBUG.</summary>
    public static int FromLevel(CtdbLogLevel level) => (int)level switch
    {
        0 => LogErr,
        1 => LogWarning,
        >= 2 and <= 5 => LogNotice,
        >= 6 and <= 9 => LogInfo,
        _ => LogDebug,
    };
}
