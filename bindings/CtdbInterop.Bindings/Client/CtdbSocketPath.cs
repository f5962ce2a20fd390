using System.Diagnostics;

namespace CtdbInterop.Bindings.Client;

/// <summary>
/// Finds ctdbd's Unix socket the way the <c>ctdb</c> tool does (ctdb/common/path.c):
/// in test mode <c>CTDB_SOCKET</c>, else <c>$CTDB_BASE/run/ctdbd.socket</c>; outside test
/// mode the compiled-in run directory, which <c>ctdb-path socket ctdbd</c> reports.
/// </summary>
public static class CtdbSocketPath
{
    /// <summary>Debian's compiled-in location, used when ctdb-path cannot be run.</summary>
    public const string DebianDefault = "/run/ctdb/ctdbd.socket";

    public const string DefaultHelperDirectory = "/usr/libexec/ctdb";

    public static bool IsTestMode(Func<string, string?> getEnv) =>
        getEnv("CTDB_TEST_MODE") is not null;

    /// <summary>Resolves the socket path from the process environment.</summary>
    public static string Resolve() => Resolve(Environment.GetEnvironmentVariable, DefaultHelperDirectory);

    public static string Resolve(Func<string, string?> getEnv, string helperDirectory)
    {
        ArgumentNullException.ThrowIfNull(getEnv);
        if (IsTestMode(getEnv))
        {
            // ctdbd ignores CTDB_SOCKET outside test mode, and so do we.
            var socket = getEnv("CTDB_SOCKET");
            if (!string.IsNullOrEmpty(socket))
            {
                return socket;
            }

            var baseDir = getEnv("CTDB_BASE");
            if (string.IsNullOrEmpty(baseDir))
            {
                throw new InvalidOperationException("CTDB_TEST_MODE is set but neither CTDB_SOCKET nor CTDB_BASE is");
            }

            return Path.Combine(baseDir, "run", "ctdbd.socket");
        }

        return AskCtdbPath(Path.Combine(helperDirectory, "ctdb-path")) ?? DebianDefault;
    }

    private static string? AskCtdbPath(string ctdbPath)
    {
        if (!File.Exists(ctdbPath))
        {
            return null;
        }

        var start = new ProcessStartInfo(ctdbPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("socket");
        start.ArgumentList.Add("ctdbd");
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(5000))
            {
                process.Kill();
                return null;
            }

            var path = output.Trim();
            return process.ExitCode == 0 && path.StartsWith('/') ? path : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
