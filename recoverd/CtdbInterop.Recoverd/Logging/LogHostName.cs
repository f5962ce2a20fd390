using System.Text;
using CtdbInterop.Recoverd.Configuration;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Logging;

/// <summary>The host names ctdb puts into log lines.</summary>
internal static class LogHostName
{
    /// <summary>
    /// For <c>file:</c> logs: gethostname(), or in test mode the last component of
    /// <c>$CTDB_BASE</c> (<c>node.0</c>), <c>unknown</c> when it ends with a slash.
    /// </summary>
    public static string ForFileLog(CtdbEnvironment environment)
    {
        if (environment.TestMode && environment.CtdbBase is { } ctdbBase)
        {
            var slash = ctdbBase.LastIndexOf('/');
            if (slash < 0)
            {
                return ctdbBase;
            }

            var last = ctdbBase[(slash + 1)..];
            return last.Length == 0 ? "unknown" : last;
        }

        return System() ?? "localhost";
    }

    /// <summary>For RFC 5424 syslog: the host name up to its first dot, else <c>localhost</c>.</summary>
    public static string ForSyslog()
    {
        var name = System();
        if (name is null)
        {
            return "localhost";
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? name : name[..dot];
    }

    /// <summary>gethostname(), or null when it fails.</summary>
    public static unsafe string? System()
    {
        const int Size = 256;
        var buffer = stackalloc byte[Size];
        if (LibC.gethostname(buffer, Size) != 0)
        {
            return null;
        }

        var span = new ReadOnlySpan<byte>(buffer, Size);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}
