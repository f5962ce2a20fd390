using System.Globalization;

namespace CtdbInterop.Integration.Tests.Fixtures;

/// <summary>
/// A real local ctdbd cluster started through scripts/cluster.sh, in a network namespace of
/// its own (the name includes this process's id, so parallel runs never meet).
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);
    private readonly string _script = RepositoryPaths.Script("cluster.sh");

    private LocalCluster(string name, int nodeCount, string directory)
    {
        Name = name;
        NodeCount = nodeCount;
        Directory = directory;
    }

    public string Name { get; }

    public int NodeCount { get; }

    public string Directory { get; }

    public static async Task<LocalCluster> StartAsync(string purpose, int nodeCount, params string[] options)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{purpose}-{Environment.ProcessId}");
        var script = RepositoryPaths.Script("cluster.sh");
        // A namespace left behind by a crashed earlier run with the same pid would block us.
        await ProcessRunner.RunAsync(script, ["stop", "--name", name], ScriptTimeout).ConfigureAwait(false);
        var result = await ProcessRunner.RunAsync(script, ["start", "--name", name, "-n", nodeCount.ToString(CultureInfo.InvariantCulture), .. options], ScriptTimeout).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            await ProcessRunner.RunAsync(script, ["stop", "--name", name], ScriptTimeout).ConfigureAwait(false);
            throw new InvalidOperationException($"cluster.sh start failed: {result.Describe()}");
        }

        var dir = await ProcessRunner.RunAsync(script, ["dir", "--name", name], ScriptTimeout).ConfigureAwait(false);
        return new LocalCluster(name, nodeCount, dir.StandardOutput.Trim());
    }

    public string SocketPath(int node) => Path.Combine(Directory, $"node.{node}", "run", "ctdbd.socket");

    public int CtdbdPid(int node) =>
        int.Parse(File.ReadAllText(Path.Combine(Directory, $"node.{node}", "run", "ctdbd.pid")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Runs the real <c>ctdb</c> tool as on <paramref name="node"/>; fails the test on a non-zero exit.</summary>
    public async Task<string> CtdbAsync(int node, params string[] arguments)
    {
        var result = await OnNodeAsync(node, ["ctdb", .. arguments]).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ctdb {string.Join(' ', arguments)} on node {node} failed: {result.Describe()}");
        }

        return result.StandardOutput;
    }

    public Task<ProcessResult> OnNodeAsync(int node, IEnumerable<string> command) =>
        ProcessRunner.RunAsync(_script, ["onnode", "--name", Name, node.ToString(CultureInfo.InvariantCulture), string.Join(' ', command)], ScriptTimeout);

    /// <summary>
    /// <paramref name="node"/>'s scrape as <c>scripts/cluster.sh metrics</c> prints it: an HTTP GET
    /// to that node's node_exporter on the node's address, inside the cluster's namespace.
    /// </summary>
    public async Task<MetricsScrape> ScrapeAsync(int node)
    {
        var result = await ProcessRunner.RunAsync(_script, ["metrics", "--name", Name, node.ToString(CultureInfo.InvariantCulture)], ScriptTimeout).ConfigureAwait(false);
        return new MetricsScrape(result.ExitCode == 0 ? result.StandardOutput : string.Empty);
    }

    /// <summary>Node <paramref name="node"/>'s ctdb log (ctdbd and the recovery daemon write to it).</summary>
    public string LogPath(int node) => Path.Combine(Directory, $"node.{node}", "log.ctdb");

    /// <summary>The recovery daemon's lines of <paramref name="node"/>'s log from byte <paramref name="offset"/> on.</summary>
    public List<string> RecoverdLinesSince(int node, long offset)
    {
        using var stream = new FileStream(LogPath(node), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n').Where(l => l.Contains(" ctdb-recoverd[", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The metrics file our daemon on <paramref name="node"/> writes for the textfile collector.</summary>
    public string MetricsFile(int node) => Path.Combine(Directory, $"node.{node}", "metrics", "ctdb_recoverd.prom");

    /// <summary>Rows of a <c>ctdb -X</c> table, without the header, split into cells.</summary>
    public static IReadOnlyList<string[]> ParseMachineTable(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Select(line => line.Trim('|').Split('|'))
            .ToList();

    public async ValueTask DisposeAsync() =>
        await ProcessRunner.RunAsync(_script, ["stop", "--name", Name], ScriptTimeout).ConfigureAwait(false);
}
