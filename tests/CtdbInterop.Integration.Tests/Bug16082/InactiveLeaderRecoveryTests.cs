using System.Globalization;
using CtdbInterop.Integration.Tests.Fixtures;

namespace CtdbInterop.Integration.Tests.Bug16082;

/// <summary>
/// Samba bug 16082 against a real 3-node cluster with a cluster lock: a leader that becomes
/// inactive (stopped, banned) between reading the node map and deciding to recover must not
/// run that recovery. The recovery daemon is ours unless CTDBI_RECOVERD_UNDER_TEST=stock;
/// stock 4.22.6 fails. Each test runs several trials (CTDBI_BUG16082_TRIALS) and reports how
/// many showed the bug. See docs/bug16082.md.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class InactiveLeaderRecoveryTests
{
    private const int Nodes = 3;
    private const int Keys = 200;
    private const string Database = "bug16082.tdb";
    private LocalCluster _cluster = null!;
    private ClusterProbe _probe = null!;
    private InactiveLeaderTrials _trials = null!;

    [OneTimeSetUp]
    public async Task StartClusterWithRecords()
    {
        _cluster = await LocalCluster.StartAsync("bug16082", Nodes, RecoverdUnderTest.ClusterOption);
        _probe = new ClusterProbe(_cluster);
        var tool = new CtdbTool(_cluster);
        await tool.OutputAsync(0, TimeSpan.FromSeconds(20), "attach", Database);
        var values = Enumerable.Range(0, Keys).ToDictionary(
            i => string.Create(CultureInfo.InvariantCulture, $"k{i:000}"),
            i => string.Create(CultureInfo.InvariantCulture, $"value-{i:000}"));
        await WriteFromEveryNodeAsync(tool, values);
        _trials = new InactiveLeaderTrials(_cluster, tool, _probe, Database, values.Keys);
        await TestContext.Progress.WriteLineAsync($"bug 16082: recovery daemon {RecoverdUnderTest.Name}, {TrialSettings.Trials} trials per test, {TrialSettings.Timing.ToString().ToLowerInvariant()} timing, {Keys} records in {Database}");
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        if (_probe is not null)
        {
            await _probe.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Test, Order(1)]
    public Task Stopped_leader_leaves_no_record_mastered_by_an_inactive_node() => RunTrialsAsync(LeaderDeactivation.Stop);

    [Test, Order(2)]
    public Task Banned_leader_leaves_no_record_mastered_by_an_inactive_node() => RunTrialsAsync(LeaderDeactivation.Ban);

    private async Task RunTrialsAsync(LeaderDeactivation how)
    {
        var refusedBefore = RefusedInactive();
        var logMarks = Enumerable.Range(0, Nodes).Select(n => new FileInfo(_cluster.LogPath(n)).Length).ToArray();
        var outcomes = new List<TrialOutcome>();
        for (var number = 1; number <= TrialSettings.Trials; number++)
        {
            var outcome = await _trials.RunAsync(number, how, TrialSettings.Timing);
            await TestContext.Progress.WriteAsync(outcome.Summary());
            outcomes.Add(outcome);
        }

        var failed = outcomes.Where(o => o.Failed).ToList();
        var verdict = $"{how}: the bug showed in {failed.Count} of {outcomes.Count} trials " +
            $"({TrialSettings.Timing.ToString().ToLowerInvariant()} timing, recovery daemon {RecoverdUnderTest.Name})";
        await TestContext.Out.WriteLineAsync(verdict);
        foreach (var outcome in failed.Skip(1))
        {
            await TestContext.Out.WriteLineAsync($"--- diagnostics of trial {outcome.Number}:\n{outcome.Diagnostics}");
        }

        Assert.That(failed, Is.Empty, () =>
            $"{verdict}\n\n{string.Join('\n', outcomes.Select(o => o.Summary()))}\n--- diagnostics of trial {failed[0].Number}:\n{failed[0].Diagnostics}");

        if (RecoverdUnderTest.Name == "ours" && TrialSettings.Timing == DeactivationTiming.Widened)
        {
            // Issue 10: the guard's refusals are counted and logged with the flags that were read.
            var flag = how.Flag.ToString().ToUpperInvariant();
            var refusals = Enumerable.Range(0, Nodes)
                .SelectMany(n => _cluster.RecoverdLinesSince(n, logMarks[n]))
                .Where(l => l.Contains("This node can no longer be leader, abort recovery (cause: own flags", StringComparison.Ordinal))
                .ToList();
            var refusedAfter = RefusedInactive();
            await TestContext.Out.WriteLineAsync($"recoveries_refused_total{{reason=\"inactive\"}} over all nodes: {refusedBefore} -> {refusedAfter}");
            foreach (var line in refusals)
            {
                await TestContext.Out.WriteLineAsync(line);
            }

            Assert.Multiple(() =>
            {
                Assert.That(refusedAfter, Is.GreaterThan(refusedBefore), "ctdb_recoverd_recoveries_refused_total{reason=\"inactive\"} did not rise");
                Assert.That(refusals, Is.Not.Empty.And.All.Contains(flag), $"the refusal lines name the flags read ({flag})");
            });
        }
    }

    /// <summary>The sum over every node's metrics file (absent with the stock daemon: 0).</summary>
    private double RefusedInactive() => Enumerable.Range(0, Nodes)
        .Select(n => _cluster.MetricsFile(n))
        .Where(File.Exists)
        .Sum(f => new MetricsScrape(File.ReadAllText(f))["ctdb_recoverd_recoveries_refused_total{reason=\"inactive\"}"] ?? 0);

    /// <summary>Writes every key once, from the nodes in turn, so records start out mastered by different nodes.</summary>
    private static async Task WriteFromEveryNodeAsync(CtdbTool tool, IReadOnlyDictionary<string, string> values)
    {
        using var gate = new SemaphoreSlim(6);
        var writes = values.Select(async (pair, index) =>
        {
            await gate.WaitAsync();
            try
            {
                await tool.OutputAsync(index % Nodes, TimeSpan.FromSeconds(20), "writekey", Database, pair.Key, pair.Value);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(writes);
    }
}
