using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Native;
using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Recoverd.Configuration;

/// <summary>
/// The ctdbd socket path (section 1.5): in test mode <c>$CTDB_SOCKET</c>, else
/// <c>$CTDB_BASE/run/ctdbd.socket</c>; otherwise what <c>ctdb-path socket ctdbd</c> prints
/// (ctdb's compile-time run directory), else Debian's <c>/run/ctdb/ctdbd.socket</c>.
/// </summary>
internal static class SocketPath
{
    public const string Default = "/run/ctdb/ctdbd.socket";

    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The test-mode path, or null outside test mode (or without CTDB_BASE).</summary>
    public static string? ForTestMode(CtdbEnvironment environment)
    {
        if (!environment.TestMode)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(environment.Socket))
        {
            return environment.Socket;
        }

        return string.IsNullOrEmpty(environment.CtdbBase) ? null : environment.CtdbBase + "/run/ctdbd.socket";
    }

    public static async Task<string> ResolveAsync(CtdbEnvironment environment, CommandRunner commands, CtdbLog log, CancellationToken cancellationToken)
    {
        if (ForTestMode(environment) is { } testPath)
        {
            return testPath;
        }

        if (environment.TestMode)
        {
            log.Error("CTDB_TEST_MODE is set but neither CTDB_SOCKET nor CTDB_BASE is");
        }

        var ctdbPath = Path.Combine(environment.HelperDirectory, "ctdb-path");
        try
        {
            var output = await commands.RunAsync(ctdbPath, ["socket", "ctdbd"], CommandTimeout, cancellationToken).ConfigureAwait(false);
            var path = output.StandardOutput.Trim();
            if (output.Succeeded && path.StartsWith('/') && !path.Contains('\n', StringComparison.Ordinal))
            {
                return path;
            }

            log.Warning($"\"{ctdbPath} socket ctdbd\" gave no usable path ({(output.TimedOut ? "timed out" : output.Status.ToString())}), using {Default}");
        }
        catch (UnixException ex)
        {
            log.Warning($"Unable to run \"{ctdbPath}\" ({ex.Message}), using {Default}");
        }

        return Default;
    }
}
