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

    /// <summary>Rows of a <c>ctdb -X</c> table, without the header, split into cells.</summary>
    public static IReadOnlyList<string[]> ParseMachineTable(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Select(line => line.Trim('|').Split('|'))
            .ToList();

    public async ValueTask DisposeAsync() =>
        await ProcessRunner.RunAsync(_script, ["stop", "--name", Name], ScriptTimeout).ConfigureAwait(false);
}
