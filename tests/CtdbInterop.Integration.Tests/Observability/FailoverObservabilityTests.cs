using System.Diagnostics;
using System.Globalization;
using CtdbInterop.Integration.Tests.Fixtures;

namespace CtdbInterop.Integration.Tests.Observability;

/// <summary>
/// Issue 10 on a real 3-node cluster (Debian's ctdbd 4.22.6 running our daemon, one Debian
/// prometheus-node-exporter per node scraped over HTTP on the node's address in the cluster's
/// namespace): before and after <c>ctdb stop</c> of the leader the scrapes agree on one leader,
/// every active node's leader_pnn moves, its elections_total rises, its log names the cause of
/// the new election, and promtool finds nothing to report in any node's file.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FailoverObservabilityTests
{
    private const int Nodes = 3;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);
    private LocalCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => _cluster = await LocalCluster.StartAsync("obs-metrics", Nodes, "--ours");

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Test]
    public async Task Stopping_the_leader_shows_in_scrapes_logs_and_valid_metric_files()
    {
        var before = await ConvergedScrapesAsync(_ => true, leader => leader >= 0);
        var oldLeader = LeaderOf(before);
        var logMarks = Enumerable.Range(0, Nodes).Select(n => new FileInfo(_cluster.LogPath(n)).Length).ToArray();
        var active = Enumerable.Range(0, Nodes).Where(n => n != oldLeader).ToArray();

        await _cluster.CtdbAsync(oldLeader, "stop");
        try
        {
            var after = await ConvergedScrapesAsync(n => n != oldLeader, leader => leader >= 0 && leader != oldLeader);
            var newLeader = LeaderOf(after);
            var causes = active.ToDictionary(n => n, n => ElectionLinesSince(n, logMarks[n]));

            await TestContext.Out.WriteLineAsync($"leader {oldLeader} stopped; new leader {newLeader}");
            foreach (var node in Enumerable.Range(0, Nodes))
            {
                foreach (var line in _cluster.RecoverdLinesSince(node, logMarks[node]).Where(l => l.Contains("(cause: ", StringComparison.Ordinal)))
                {
                    await TestContext.Out.WriteLineAsync(line);
                }
            }

            await TestContext.Out.WriteLineAsync($"--- scrape of node {newLeader} after the failover:\n{after[newLeader].Text}");

            Assert.Multiple(() =>
            {
                Assert.That(Enumerable.Range(0, Nodes).Count(n => before[n]["ctdb_recoverd_is_leader"] == 1), Is.EqualTo(1), "before: one leader");
                Assert.That(Enumerable.Range(0, Nodes).Count(n => after[n]["ctdb_recoverd_is_leader"] == 1), Is.EqualTo(1), "after: one leader");
                Assert.That(after[oldLeader]["ctdb_recoverd_is_leader"], Is.EqualTo(0), "the stopped node no longer leads");
                Assert.That(after[oldLeader]["ctdb_recoverd_resignations_total{reason=\"inactive\"}"], Is.GreaterThanOrEqualTo(1), "it resigned because it became inactive");
                foreach (var node in active)
                {
                    Assert.That(before[node]["ctdb_recoverd_leader_pnn"], Is.EqualTo(oldLeader), $"node {node} before");
                    Assert.That(after[node]["ctdb_recoverd_leader_pnn"], Is.EqualTo(newLeader), $"node {node} after");
                    Assert.That(
                        after[node].Sum("ctdb_recoverd_elections_total"),
                        Is.GreaterThan(before[node].Sum("ctdb_recoverd_elections_total")),
                        $"node {node} took part in a new election");
                    Assert.That(causes[node], Is.Not.Empty, $"node {node}'s log names no cause for the new election");
                    Assert.That(causes[node], Has.All.Contains($"leader {oldLeader}"), $"node {node}: the cause names the old leader");
                }
            });

            for (var node = 0; node < Nodes; node++)
            {
                var (exit, output) = await PromtoolAsync(_cluster.MetricsFile(node));
                Assert.That((exit, output.Trim()), Is.EqualTo((0, string.Empty)), $"promtool check metrics on node {node}'s file");
            }
        }
        finally
        {
            await _cluster.CtdbAsync(oldLeader, "continue");
        }
    }

    private List<string> ElectionLinesSince(int node, long offset) =>
        _cluster.RecoverdLinesSince(node, offset)
            .Where(l => (l.Contains("Start election (cause: ", StringComparison.Ordinal) || l.Contains("Taking part in election (cause: ", StringComparison.Ordinal)))
            .ToList();

    private static int LeaderOf(IReadOnlyList<MetricsScrape> scrapes) =>
        Enumerable.Range(0, scrapes.Count).Single(n => scrapes[n]["ctdb_recoverd_is_leader"] == 1);

    /// <summary>
    /// Scrapes every node until exactly one node reports is_leader 1, every node for which
    /// <paramref name="counts"/> holds names it as leader_pnn, and that leader satisfies
    /// <paramref name="wanted"/> (bounded by <see cref="Settle"/>).
    /// </summary>
    private async Task<IReadOnlyList<MetricsScrape>> ConvergedScrapesAsync(Func<int, bool> counts, Func<int, bool> wanted)
    {
        var deadline = Stopwatch.StartNew();
        MetricsScrape[] scrapes = [];
        while (deadline.Elapsed < Settle)
        {
            scrapes = await Task.WhenAll(Enumerable.Range(0, Nodes).Select(_cluster.ScrapeAsync));
            var leaders = Enumerable.Range(0, Nodes).Where(n => scrapes[n]["ctdb_recoverd_is_leader"] == 1).ToList();
            if (leaders.Count == 1 && wanted(leaders[0]) &&
                Enumerable.Range(0, Nodes).Where(counts).All(n => scrapes[n]["ctdb_recoverd_leader_pnn"] == leaders[0]))
            {
                return scrapes;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"the scrapes did not converge within {Settle.TotalSeconds:0} s:\n" +
            string.Join("\n", scrapes.Select((s, n) => string.Create(CultureInfo.InvariantCulture,
                $"node {n}: is_leader {s["ctdb_recoverd_is_leader"]}, leader_pnn {s["ctdb_recoverd_leader_pnn"]}"))));
        return scrapes;
    }

    private static async Task<(int Exit, string Output)> PromtoolAsync(string file)
    {
        var result = await ProcessRunner.RunAsync("sh", ["-c", $"promtool check metrics < '{file}' 2>&1"], TimeSpan.FromSeconds(30));
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }
}
