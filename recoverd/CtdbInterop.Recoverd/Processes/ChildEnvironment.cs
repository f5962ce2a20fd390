using CtdbInterop.Recoverd.Configuration;

namespace CtdbInterop.Recoverd.Processes;

/// <summary>
/// Helpers inherit the daemon's environment (CTDB_LOGGING, CTDB_BASE, CTDB_TEST_MODE, …)
/// plus per-run extras such as CTDB_DBDIR_STATE and CTDB_DISABLE_IP_FAILOVER (B62).
/// </summary>
/// <remarks>
/// .NET keeps its own copy of the environment on Unix: Environment.SetEnvironmentVariable
/// (used for the daemon-wide, never removed CTDB_DISABLE_IP_FAILOVER=1 of B64) is seen here,
/// while the C library's environ is not updated.
/// </remarks>
internal static class ChildEnvironment
{
    public static IReadOnlyDictionary<string, string> Build(IEnumerable<KeyValuePair<string, string>>? extras = null)
    {
        var variables = CtdbEnvironment.ProcessVariables();
        if (extras is not null)
        {
            foreach (var (name, value) in extras)
            {
                variables[name] = value;
            }
        }

        return variables;
    }
}
