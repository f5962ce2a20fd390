namespace CtdbInterop.Recoverd.Configuration;

/// <summary>
/// Where ctdb-config looks for ctdb.conf, and what it silently gets wrong: it answers a path
/// it cannot read (a directory, for one) with its defaults, and even <c>validate</c> accepts it.
/// A missing file is fine (ctdb runs on its defaults without one).
/// </summary>
internal static class CtdbConfFile
{
    /// <summary>Debian's compile-time configuration directory.</summary>
    public const string DefaultPath = "/etc/ctdb/ctdb.conf";

    /// <summary>ctdb-config honours <c>CTDB_BASE</c> only in test mode, as ctdbd does.</summary>
    public static string PathFor(CtdbEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment is { TestMode: true, CtdbBase: { Length: > 0 } ctdbBase } ? Path.Combine(ctdbBase, "ctdb.conf") : DefaultPath;
    }

    /// <summary>Why the file cannot be read, or null when it can (or does not exist).</summary>
    public static string? ReadProblem(string path)
    {
        if (Directory.Exists(path))
        {
            return $"{path} is a directory";
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            return null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{path}: {e.Message}";
        }
    }

    /// <summary>
    /// Why the file may not hold what ctdbd runs with: ctdbd read it once at its start, so a file
    /// written since then (an edit, a broken copy) may differ from ctdbd's settings, and
    /// ctdb-config accepts some broken files as empty ones (a section header without its
    /// bracket). Null when the file is older than ctdbd, absent, or either time is unknown.
    /// </summary>
    public static string? ChangedSince(string path, DateTime? ctdbdStartedUtc)
    {
        if (ctdbdStartedUtc is not { } started || !File.Exists(path))
        {
            return null;
        }

        var written = File.GetLastWriteTimeUtc(path);
        return written > started
            ? $"{path} was written at {written:yyyy-MM-dd HH:mm:ss} UTC, after ctdbd started at {started:yyyy-MM-dd HH:mm:ss} UTC"
            : null;
    }

    /// <summary>When process <paramref name="pid"/> started (from /proc), or null.</summary>
    public static DateTime? ProcessStartUtc(int pid)
    {
        try
        {
            // Field 22 of /proc/PID/stat, after the parenthesised name (which may hold spaces).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture);
            var bootLine = File.ReadLines("/proc/stat").First(l => l.StartsWith("btime ", StringComparison.Ordinal));
            var boot = long.Parse(bootLine.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture);
            return DateTime.UnixEpoch.AddSeconds(boot + (ticks / (double)ClockTicksPerSecond));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    // USER_HZ: 100 on every Linux architecture Debian ships.
    private const int ClockTicksPerSecond = 100;
}
