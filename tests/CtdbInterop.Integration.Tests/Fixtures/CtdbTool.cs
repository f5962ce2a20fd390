using System.Diagnostics;
using System.Globalization;

namespace CtdbInterop.Integration.Tests.Fixtures;

/// <summary>One run of the <c>ctdb</c> tool: its result (null when it was killed at the time limit) and how long it took.</summary>
internal sealed record CtdbToolRun(ProcessResult? Result, TimeSpan Elapsed)
{
    public bool Succeeded => Result is { ExitCode: 0 };

    public string Describe() => Result is null
        ? $"killed after {Elapsed.TotalSeconds:0.0} s"
        : $"{Result.Describe()}\n(took {Elapsed.TotalSeconds:0.000} s)";
}

/// <summary>
/// Runs the real <c>ctdb</c> tool as on one node of a <see cref="LocalCluster"/>, directly
/// rather than through <c>cluster.sh onnode</c>: in Samba's test mode the tool needs only the
/// node's <c>CTDB_BASE</c> and talks to ctdbd over a Unix socket (a file, reachable from outside
/// the namespace), so a call costs one process instead of a chain of shell scripts. That matters
/// when hundreds of fetches have to run in parallel within a time bound.
/// </summary>
internal sealed class CtdbTool(LocalCluster cluster)
{
    public async Task<CtdbToolRun> RunAsync(int node, TimeSpan limit, params string[] arguments)
    {
        var nodeBase = Path.Combine(cluster.Directory, string.Create(CultureInfo.InvariantCulture, $"node.{node}"));
        var watch = Stopwatch.StartNew();
        try
        {
            var result = await ProcessRunner.RunAsync("env", ["CTDB_TEST_MODE=yes", "CTDB_BASE=" + nodeBase, "ctdb", .. arguments], limit).ConfigureAwait(false);
            return new CtdbToolRun(result, watch.Elapsed);
        }
        catch (TimeoutException)
        {
            return new CtdbToolRun(null, watch.Elapsed);
        }
    }

    /// <summary>Runs the tool and returns its standard output; throws when it fails or overruns.</summary>
    public async Task<string> OutputAsync(int node, TimeSpan limit, params string[] arguments)
    {
        var run = await RunAsync(node, limit, arguments).ConfigureAwait(false);
        return run.Succeeded
            ? run.Result!.StandardOutput
            : throw new InvalidOperationException($"ctdb {string.Join(' ', arguments)} on node {node}: {run.Describe()}");
    }
}
