using System.Globalization;

namespace CtdbInterop.Recoverd.Logging;

/// <summary>
/// ctdb's high-resolution time stamp: local time <c>YYYY-MM-DDTHH:MM:SS.uuuuuu±HH:MM</c>.
/// Samba derives the offset from hour and minute differences only, which is wrong by
/// ±24 h for part of each day far from UTC; this prints the real offset instead.
/// </summary>
internal static class LogTimestamp
{
    private const string Pattern = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffffzzz";

    public static string Format(DateTimeOffset time) => time.ToString(Pattern, CultureInfo.InvariantCulture);

    public static string Now() => Format(DateTimeOffset.Now);
}
