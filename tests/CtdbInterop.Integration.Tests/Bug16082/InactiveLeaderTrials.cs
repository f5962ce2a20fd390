using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Integration.Tests.Fixtures;

namespace CtdbInterop.Integration.Tests.Bug16082;

/// <summary>
/// One trial of the bug 16082 scenario on a healthy cluster: make the leader inactive, wait
/// for the first recovery that completes on the active nodes after that, then check that no
/// active node's copy of the volatile database names the inactive node as dmaster and that
/// every key can be fetched from every active node in bound. Stock 4.22.6 fails when its
/// leader decides to recover on a node map read before it became inactive: its recovery
/// stamps the inactive node as dmaster of every record, and fetches hang until the next
/// leader recovers again (leader timeout, 5 s, plus an election).
/// </summary>
internal sealed partial class InactiveLeaderTrials(LocalCluster cluster, CtdbTool tool, ClusterProbe probe, string database, IReadOnlyCollection<string> keys)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan QuietBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan InactiveBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleBound = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan CommandBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ToolBound = TimeSpan.FromSeconds(20);

    /// <summary>Longer than one main-loop period (RecoverInterval, 1 s), so the leader's loop is surely waiting on the paused peer.</summary>
    private static readonly TimeSpan PeerPause = TimeSpan.FromMilliseconds(1200);

    /// <summary>Extra wait after the re-recovery suppression: it starts after the post-recovery takeover run, not at ctdbd's END_RECOVERY.</summary>
    private static readonly TimeSpan SuppressionMargin = TimeSpan.FromSeconds(2);

    private IEnumerable<int> Nodes => Enumerable.Range(0, cluster.NodeCount);

    public async Task<TrialOutcome> RunAsync(int number, LeaderDeactivation how, DeactivationTiming timing)
    {
        var outcome = new TrialOutcome(number, how, timing);
        var leader = await WaitUntilQuietAsync().ConfigureAwait(false);
        outcome.Leader = leader;
        var active = Nodes.Where(n => n != leader).ToList();
        var generationBefore = (await probe.TryViewAsync(active[0]).ConfigureAwait(false))?.Generation
            ?? throw new InvalidOperationException($"node {active[0]} stopped answering");
        var logMarks = Nodes.Select(n => new FileInfo(LogPath(n)).Length).ToArray();
        var watch = Stopwatch.StartNew();

        Task<CtdbToolRun> command;
        bool inactive;
        var paused = timing == DeactivationTiming.Widened ? active[0] : -1;
        using (var pause = paused >= 0 ? ProcessPause.Start(cluster.CtdbdPid(paused)) : null)
        {
            if (pause is not null)
            {
                outcome.Note(watch.Elapsed, $"paused ctdbd of node {paused} (SIGSTOP)");
                await Task.Delay(PeerPause).ConfigureAwait(false);
            }

            outcome.Note(watch.Elapsed, $"ctdb {string.Join(' ', how.Apply)} on leader {leader}");
            command = tool.RunAsync(leader, CommandBound, how.Apply);
            inactive = await WaitUntilOwnFlagAsync(leader, how.Flag).ConfigureAwait(false);
            outcome.Note(watch.Elapsed, inactive ? $"node {leader} reports itself {how.Flag}" : $"node {leader} not {how.Flag} after {InactiveBound.TotalSeconds:0} s");
        }

        if (paused >= 0)
        {
            outcome.Note(watch.Elapsed, $"resumed ctdbd of node {paused} (SIGCONT)");
        }

        try
        {
            var deactivated = new DeactivatedLeader(leader, active, how, generationBefore, logMarks, watch);
            await ObserveAsync(deactivated, inactive, outcome).ConfigureAwait(false);
        }
        finally
        {
            // Even when observing threw, the leader is made active again for the next trial.
            var commandRun = await command.ConfigureAwait(false);
            outcome.Note(watch.Elapsed, $"ctdb {string.Join(' ', how.Apply)} finished: {(commandRun.Succeeded ? "ok" : commandRun.Describe().ReplaceLineEndings(" "))}");
            var undo = await tool.RunAsync(leader, CommandBound, how.Undo).ConfigureAwait(false);
            outcome.Note(watch.Elapsed, $"ctdb {string.Join(' ', how.Undo)} on node {leader}: {(undo.Succeeded ? "ok" : undo.Describe().ReplaceLineEndings(" "))}");
            if (!undo.Succeeded)
            {
                outcome.Problem($"ctdb {string.Join(' ', how.Undo)} failed");
            }
        }

        return outcome;
    }

    private async Task ObserveAsync(DeactivatedLeader deactivated, bool inactive, TrialOutcome outcome)
    {
        if (!inactive)
        {
            outcome.Problem($"the leader did not become {deactivated.How.Flag} within {InactiveBound.TotalSeconds:0} s");
        }
        else if (!await WaitForFirstRecoveryAsync(deactivated.Active, deactivated.GenerationBefore, outcome, deactivated.Watch).ConfigureAwait(false))
        {
            outcome.Problem($"no recovery completed on the active nodes within {SettleBound.TotalSeconds:0} s of the event");
        }
        else
        {
            await CheckRecordsAsync(deactivated.Leader, deactivated.Active, outcome).ConfigureAwait(false);
        }

        if (outcome.Failed)
        {
            outcome.Diagnostics = await DiagnosticsAsync(deactivated.Leader, deactivated.Active, deactivated.LogMarks).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until every node is active, in recovery mode NORMAL on one generation, all name
    /// the same leader, and no recovery daemon still suppresses recoveries after the last
    /// recovery (RerecoveryTimeout): a suppressed leader would not recover at all, which is
    /// not the situation under test. Returns the leader.
    /// </summary>
    public async Task<int> WaitUntilQuietAsync()
    {
        var suppression = TimeSpan.FromSeconds((await probe.TunablesAsync(0).ConfigureAwait(false)).RerecoveryTimeout) + SuppressionMargin;
        var watch = Stopwatch.StartNew();
        var state = "no answer yet";
        while (watch.Elapsed < QuietBound)
        {
            var views = await probe.TryViewAllAsync(Nodes).ConfigureAwait(false);
            state = Describe(Nodes, views);
            if (IsHealthy(views))
            {
                var leader = await AgreedLeaderAsync().ConfigureAwait(false);
                var sinces = await Task.WhenAll(Nodes.Select(probe.TrySinceLastRecoveryAsync)).ConfigureAwait(false);
                if (leader is { } known && sinces.All(s => s is not null))
                {
                    var wait = suppression - sinces.Min(s => s!.Value);
                    if (wait <= TimeSpan.Zero)
                    {
                        return known;
                    }

                    await Task.Delay(wait).ConfigureAwait(false);
                    continue;
                }

                state += leader is null ? "; nodes do not agree on a leader" : "; uptime unanswered";
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
        }

        throw new TimeoutException($"cluster not healthy within {QuietBound.TotalSeconds:0} s: {state}");
    }

    private bool IsHealthy(IReadOnlyList<NodeView?> views) =>
        views.All(v => v is not null
            && v.RecoveryMode == CtdbRecoveryMode.Normal
            && v.Generation != CtdbConstants.InvalidGeneration
            && v.Generation == views[0]!.Generation
            && Nodes.All(n => (v.FlagsOf(n) & NodeFlags.Inactive) == 0));

    private async Task<int?> AgreedLeaderAsync()
    {
        var runs = await Task.WhenAll(Nodes.Select(n => tool.RunAsync(n, ToolBound, "-t", "3", "leader"))).ConfigureAwait(false);
        var leaders = runs.Select(r => r.Succeeded && int.TryParse(r.Result!.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pnn) ? pnn : -1).Distinct().ToList();
        return leaders is [var leader] && leader >= 0 && leader < cluster.NodeCount ? leader : null;
    }

    private async Task<bool> WaitUntilOwnFlagAsync(int node, NodeFlags flag)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < InactiveBound)
        {
            if (await probe.TryViewAsync(node).ConfigureAwait(false) is { } view && view.OwnFlags.HasFlag(flag))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>
    /// The first recovery after the event has completed when every active node answers with
    /// recovery mode NORMAL and one common generation other than the one before the event
    /// (the recovery helper sets the new generation before it ends recovery mode, and only a
    /// recovery changes it). Notes each change of the nodes' state on the timeline.
    /// </summary>
    private async Task<bool> WaitForFirstRecoveryAsync(IReadOnlyList<int> active, uint generationBefore, TrialOutcome outcome, Stopwatch watch)
    {
        var start = watch.Elapsed;
        var last = "";
        while (watch.Elapsed - start < SettleBound)
        {
            var views = await probe.TryViewAllAsync(active).ConfigureAwait(false);
            var state = Describe(active, views);
            if (state != last)
            {
                outcome.Note(watch.Elapsed, state);
                last = state;
            }

            if (views.All(v => v is not null
                && v.RecoveryMode == CtdbRecoveryMode.Normal
                && v.Generation != generationBefore
                && v.Generation != CtdbConstants.InvalidGeneration
                && v.Generation == views[0]!.Generation))
            {
                outcome.Note(watch.Elapsed, "first recovery after the event has completed on the active nodes");
                return true;
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }

        return false;
    }

    private async Task CheckRecordsAsync(int inactiveNode, IReadOnlyList<int> active, TrialOutcome outcome)
    {
        var census = new List<DmasterCensus>();
        foreach (var node in active)
        {
            census.Add(DmasterCensus.Parse(node, await tool.OutputAsync(node, ToolBound, "cattdb", database).ConfigureAwait(false)));
        }

        outcome.Census = census;
        foreach (var view in census)
        {
            if (view.RecordsOwnedBy(inactiveNode) > 0)
            {
                outcome.Problem($"node {view.Node} holds {view.RecordsOwnedBy(inactiveNode)} records whose dmaster is the inactive node {inactiveNode}");
            }

            // Records whose only copy was on the inactive node are not recovered (volatile
            // semantics), so only an empty copy would make the census meaningless.
            if (view.Records == 0)
            {
                outcome.Problem($"node {view.Node} holds no records after the recovery");
            }
        }

        outcome.Fetches = await new FetchCheck(tool, database).RunAsync(active, keys).ConfigureAwait(false);
        if (!outcome.Fetches.AllCompleted)
        {
            outcome.Problem($"not every key could be fetched from every active node within {FetchCheck.PerFetchBound.TotalSeconds:0} s");
        }
    }

    private async Task<string> DiagnosticsAsync(int inactiveNode, List<int> active, long[] logMarks)
    {
        var text = new StringBuilder();
        var status = await tool.RunAsync(active[0], ToolBound, "-t", "3", "status").ConfigureAwait(false);
        text.AppendLine($"--- ctdb status on node {active[0]}:").AppendLine(status.Result?.StandardOutput ?? status.Describe());
        text.AppendLine("--- dmaster counts per node (ctdb cattdb, now):");
        foreach (var node in Nodes)
        {
            var run = await tool.RunAsync(node, ToolBound, "cattdb", database).ConfigureAwait(false);
            text.AppendLine(run.Succeeded ? DmasterCensus.Parse(node, run.Result!.StandardOutput).ToString() : $"node {node}: {run.Describe()}");
        }

        text.AppendLine($"--- recovery-related lines of node {inactiveNode}'s log since the trial started:");
        foreach (var line in LinesSince(inactiveNode, logMarks[inactiveNode]).Where(l => RecoveryLine().IsMatch(l)).Take(60))
        {
            text.AppendLine(line);
        }

        foreach (var node in Nodes)
        {
            text.AppendLine($"--- last 50 lines of node {node}'s log.ctdb:");
            foreach (var line in File.ReadLines(LogPath(node)).TakeLast(50))
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }

    private List<string> LinesSince(int node, long offset)
    {
        using var stream = new FileStream(LogPath(node), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private string LogPath(int node) => Path.Combine(cluster.Directory, string.Create(CultureInfo.InvariantCulture, $"node.{node}"), "log.ctdb");

    private static string Describe(IEnumerable<int> nodes, IEnumerable<NodeView?> views) =>
        string.Join("; ", nodes.Zip(views, (node, v) => v is null ? $"node {node} no answer" : $"node {node} {v.RecoveryMode} gen {v.Generation} flags {v.OwnFlags}"));

    /// <summary>A trial's situation once the leader was told to become inactive.</summary>
    private sealed record DeactivatedLeader(int Leader, List<int> Active, LeaderDeactivation How, uint GenerationBefore, long[] LogMarks, Stopwatch Watch);

    [GeneratedRegex("recover|leader|election|resign|stopping|banning|inactive|cluster lock", RegexOptions.IgnoreCase)]
    private static partial Regex RecoveryLine();
}
