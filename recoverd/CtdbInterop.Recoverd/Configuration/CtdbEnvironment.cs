using System.Collections;
using System.Globalization;

namespace CtdbInterop.Recoverd.Configuration;

/// <summary>
/// The environment variables the daemon reads (ctdbd exports them before forking its
/// recovery daemon; the preload shim adds <c>CTDB_RECOVERD_PARENT_PID</c>).
/// </summary>
internal sealed record CtdbEnvironment
{
    /// <summary>Debian's compile-time helper directory (<c>CTDB_HELPER_BINDIR</c>).</summary>
    public const string DefaultHelperDirectory = "/usr/libexec/ctdb";

    /// <summary><c>CTDB_TEST_MODE</c> is set (to anything): local test clusters.</summary>
    public bool TestMode { get; init; }

    public string? CtdbBase { get; init; }

    public string? Socket { get; init; }

    public string? Logging { get; init; }

    public string? DebugLevel { get; init; }

    public string? RecoveryHelper { get; init; }

    public string? TakeoverHelper { get; init; }

    public string? ClusterMutexHelper { get; init; }

    public string? TestHelperBinDir { get; init; }

    /// <summary>ctdbd's PID as the preload shim recorded it, if it did.</summary>
    public int? RecoverdParentPid { get; init; }

    /// <summary>Where ctdb's helper programs live: the test directory in test mode, else Debian's.</summary>
    public string HelperDirectory =>
        TestMode && !string.IsNullOrEmpty(TestHelperBinDir) ? TestHelperBinDir : DefaultHelperDirectory;

    public static CtdbEnvironment FromProcess() => From(Environment.GetEnvironmentVariable);

    public static CtdbEnvironment From(IReadOnlyDictionary<string, string> variables) =>
        From(name => variables.TryGetValue(name, out var value) ? value : null);

    public static CtdbEnvironment From(Func<string, string?> get) => new()
    {
        TestMode = get("CTDB_TEST_MODE") is not null,
        CtdbBase = get("CTDB_BASE"),
        Socket = get("CTDB_SOCKET"),
        Logging = get("CTDB_LOGGING"),
        DebugLevel = get("CTDB_DEBUGLEVEL"),
        RecoveryHelper = get("CTDB_RECOVERY_HELPER"),
        TakeoverHelper = get("CTDB_TAKEOVER_HELPER"),
        ClusterMutexHelper = get("CTDB_CLUSTER_MUTEX_HELPER"),
        TestHelperBinDir = get("CTDB_TEST_HELPER_BINDIR"),
        RecoverdParentPid = int.TryParse(get("CTDB_RECOVERD_PARENT_PID"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1
            ? pid
            : null,
    };

    /// <summary>The current process environment as name/value pairs (for children).</summary>
    public static Dictionary<string, string> ProcessVariables()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                result[name] = value;
            }
        }

        return result;
    }
}
