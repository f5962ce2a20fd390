#:project ../bindings/CtdbInterop.Bindings/CtdbInterop.Bindings.csproj
// One failover trial on a running local cluster; scripts/measure-failover.sh starts the
// cluster and runs this once per trial (a .NET file-based app: `dotnet run --file`).
//
//   measure-failover-trial.cs --dir CLUSTER_DIR --nodes N --event stop|ban|kill [--timeline FILE] [--leader-among PNNS]
//   measure-failover-trial.cs --dir CLUSTER_DIR --nodes N --event ipreallocate|recover10k|idle
//                             [--samples K] [--idle-seconds S] [--idle-settle S] [--fill-tool PATH]
//
// --leader-among 0,1 steers leadership onto one of those nodes before the event (in a mixed
// cluster: onto a node running our daemon, so the measured hand-over is our resignation to
// stock peers): the other nodes give up the leader role (`ctdb setleaderrole off`) until one
// of the listed nodes leads, then take it back, and the cluster is left to become quiet again.
//
// Waits until the cluster is quiet (all nodes active and NORMAL on one generation, one
// leader announced, no recovery daemon still suppressing recoveries), writes a record from
// the leader (so the leader is its dmaster), waits a random 0-1 s (the phase of the daemons'
// loops), then makes the leader inactive or kills its ctdbd and measures, with a monotonic
// clock from the moment just before the event:
//   agree   every active node has received a LEADER broadcast naming the same new leader
//           as its latest one (broadcasts are timestamped on arrival, one client per node);
//   healthy every active node is in recovery mode NORMAL and `ctdb writekey` of that record
//           from an active node other than the new leader has completed (polled every 50 ms).
// Prints one tab-separated line: old leader, new leader, agree ms, healthy ms, outcome.
// --timeline FILE also writes every LEADER broadcast and recovery-mode change seen during the
// hand-over (ms, node, what) for scripts/bench.sh's timeline plot.
//
// The steady-state events (scripts/bench.sh) wait for the same quiet cluster, then print
// tab-separated "name value" lines:
//   ipreallocate  K times `ctdb ipreallocate` on a non-leader: ipreallocate_ms per run;
//   recover10k    10,000 records in every node's copy of a volatile database (fill-tdb), then
//                 recovery mode ACTIVE on a non-leader: recover10k_ms until every node is NORMAL
//                 on a new generation, records = what node 0 holds afterwards;
//                 recover10k_notice_ms until the leader logs that it saw the ACTIVE mode, and
//                 recover10k_from_notice_ms = the difference (the recovery without that phase);
//   idle          --idle-settle seconds, then --idle-seconds of nothing: per node "idle NODE ROLE
//                 recd_cpu_ms ctdbd_cpu_ms rss_kb pss_kb recd_ticks_ms ctdbd_ticks_ms" (CPU in
//                 ms a minute: exact from the threads' schedstat, and in the 10 ms ticks of
//                 utime + stime; memory at the window's end).
using System.Diagnostics;
using System.Globalization;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

var options = ParseArguments(args);
var bound = TimeSpan.FromSeconds(60);
var callTimeout = TimeSpan.FromSeconds(1);
var nodes = Enumerable.Range(0, options.Nodes).ToList();
const string Database = "failover.tdb";
const string Key = "failover-probe";

var clients = new Dictionary<int, CtdbClient>();
foreach (var node in nodes)
{
    clients[node] = await CtdbClient.ConnectAsync(Path.Combine(options.Dir, $"node.{node}", "run", "ctdbd.socket"));
    await clients[node].RegisterSrvidAsync(CtdbSrvid.Leader, callTimeout);
}

var broadcasts = new LeaderBroadcasts(nodes);
var readers = nodes.Select(node => Task.Run(async () =>
{
    await foreach (var message in clients[node].ReadMessagesAsync())
    {
        if (message.Srvid == CtdbSrvid.Leader)
        {
            broadcasts.Record(node, Messages.ParseLeader(message.Packet), Stopwatch.GetTimestamp());
        }
    }
})).ToList();

var oldLeader = await WaitUntilQuietAsync();
if (options.Event is "ipreallocate" or "recover10k" or "idle")
{
    await SteadyState.RunAsync(options, clients, nodes, oldLeader, RunToolAsync);
    await CloseAsync();
    return 0;
}

if (options.LeaderAmong is { } wanted)
{
    oldLeader = await SteerLeadershipAsync(oldLeader, wanted);
}

await RunToolAsync(oldLeader, TimeSpan.FromSeconds(20), "attach", Database);
await RunToolAsync(oldLeader, TimeSpan.FromSeconds(20), "writekey", Database, Key, "before");
var active = nodes.Where(n => n != oldLeader).ToList();
Log($"old leader {oldLeader}; event {options.Event}");

// At a random phase of the daemons' 1 s loops, as an administrator's command or a crash
// falls. Without this the event followed the quiet wait (timed from the last recovery, after
// which the leader's loop restarts) by a fixed time: every trial hit the same late phase
// (agree 801-878 ms for a ban in session 8), whatever the daemon's own cost.
await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000)));
broadcasts.Watch(active, oldLeader);
var start = Stopwatch.GetTimestamp();
var timeline = options.Timeline is { } timelineFile ? new Timeline(timelineFile, start, clients, active) : null;
broadcasts.Timeline = timeline;
var eventCommand = options.Event switch
{
    "stop" => RunToolAsync(oldLeader, bound, "stop"),
    "ban" => RunToolAsync(oldLeader, bound, "ban", "300"),
    _ => KillCtdbdAsync(oldLeader),
};

var agreement = await broadcasts.Agreement.WaitAsync(bound).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : ((int, long)?)null, TaskScheduler.Default);
string result;
if (agreement is not { } agreed)
{
    result = $"{oldLeader}\t-\t-\t-\tno-agreement";
}
else
{
    var (newLeader, agreedAt) = agreed;
    var agreeMs = Stopwatch.GetElapsedTime(start, agreedAt).TotalMilliseconds;
    Log($"active nodes agree on leader {newLeader} after {agreeMs:0} ms");
    timeline?.Mark(-1, "agree", agreedAt);
    var writer = active.First(n => n != newLeader);
    var healthyMs = await WaitUntilHealthyAsync(writer);
    result = healthyMs is { } ms
        ? $"{oldLeader}\t{newLeader}\t{agreeMs:0}\t{ms:0}\tok"
        : $"{oldLeader}\t{newLeader}\t{agreeMs:0}\t-\tnot-healthy";
}

Console.WriteLine(result);
if (timeline is not null)
{
    timeline.Mark(-1, result.EndsWith("\tok", StringComparison.Ordinal) ? "healthy" : "not healthy");
    await timeline.StopAsync();
}

var commandResult = await eventCommand;
Log($"event command: {commandResult}");
await CloseAsync();
return 0;

async Task CloseAsync()
{
    foreach (var client in clients.Values)
    {
        await client.DisposeAsync();
    }

    await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
}

async Task<int> WaitUntilQuietAsync()
{
    var suppression = TimeSpan.FromSeconds((await clients[0].ControlAsync(Controls.GetAllTunables(CtdbConstants.CurrentNode), Controls.ParseGetAllTunables, callTimeout)).RerecoveryTimeout + 2);
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed < TimeSpan.FromSeconds(120))
    {
        try
        {
            var modes = await Task.WhenAll(nodes.Select(n => clients[n].ControlAsync(Controls.GetRecmode(CtdbConstants.CurrentNode), Controls.ParseGetRecmode, callTimeout)));
            var vnnmaps = await Task.WhenAll(nodes.Select(n => clients[n].ControlAsync(Controls.GetVnnmap(CtdbConstants.CurrentNode), Controls.ParseGetVnnmap, callTimeout)));
            var maps = await Task.WhenAll(nodes.Select(n => clients[n].ControlAsync(Controls.GetNodemap(CtdbConstants.CurrentNode), Controls.ParseGetNodemap, callTimeout)));
            var uptimes = await Task.WhenAll(nodes.Select(n => clients[n].ControlAsync(Controls.Uptime(CtdbConstants.CurrentNode), Controls.ParseUptime, callTimeout)));
            var leader = broadcasts.CommonLatest(nodes);
            var quiet = modes.All(m => m == CtdbRecoveryMode.Normal)
                && vnnmaps.All(v => v.Generation == vnnmaps[0].Generation && v.Generation != CtdbConstants.InvalidGeneration)
                && maps.All(m => m.Nodes.All(e => (e.Flags & NodeFlags.Inactive) == 0))
                && leader is not null;
            if (quiet)
            {
                var sinceRecovery = uptimes.Min(u => u.CurrentTime.ToDateTimeOffset() - u.LastRecoveryFinished.ToDateTimeOffset());
                if (sinceRecovery >= suppression)
                {
                    return (int)leader!.Value;
                }

                await Task.Delay(suppression - sinceRecovery);
                continue;
            }
        }
        catch (TimeoutException)
        {
            // A node that does not answer is not quiet; ask again.
        }

        await Task.Delay(TimeSpan.FromMilliseconds(250));
    }

    throw new TimeoutException("the cluster did not become quiet within 120 s");
}

async Task<int> SteerLeadershipAsync(int leader, IReadOnlyList<int> wanted)
{
    for (var attempt = 1; attempt <= 3 && !wanted.Contains(leader); attempt++)
    {
        var others = nodes.Except(wanted).ToList();
        Log($"leader {leader} is not among {string.Join(',', wanted)}; steering (attempt {attempt})");
        foreach (var node in others)
        {
            Log((await RunToolAsync(node, TimeSpan.FromSeconds(20), "setleaderrole", "off")).Text);
        }

        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60)
               && !(broadcasts.CommonLatest(nodes) is { } common && wanted.Contains((int)common)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        foreach (var node in others)
        {
            Log((await RunToolAsync(node, TimeSpan.FromSeconds(20), "setleaderrole", "on")).Text);
        }

        leader = await WaitUntilQuietAsync();
    }

    return wanted.Contains(leader)
        ? leader
        : throw new TimeoutException($"could not steer leadership onto {string.Join(',', wanted)}");
}

async Task<double?> WaitUntilHealthyAsync(int writer)
{
    while (Stopwatch.GetElapsedTime(start) < bound)
    {
        if (await AllNormalAsync())
        {
            var left = bound - Stopwatch.GetElapsedTime(start);
            var seconds = Math.Max(1, (int)left.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            var write = await RunToolAsync(writer, left + TimeSpan.FromSeconds(5), "-T", seconds, "writekey", Database, Key, "after");
            if (write.Ok && await AllNormalAsync())
            {
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        await Task.Delay(TimeSpan.FromMilliseconds(50));
    }

    return null;
}

async Task<bool> AllNormalAsync()
{
    try
    {
        var modes = await Task.WhenAll(active.Select(n => clients[n].ControlAsync(Controls.GetRecmode(CtdbConstants.CurrentNode), Controls.ParseGetRecmode, callTimeout)));
        return modes.All(m => m == CtdbRecoveryMode.Normal);
    }
    catch (TimeoutException)
    {
        return false;
    }
}

async Task<ToolResult> RunToolAsync(int node, TimeSpan limit, params string[] arguments)
{
    var info = new ProcessStartInfo("ctdb") { RedirectStandardOutput = true, RedirectStandardError = true };
    info.Environment["CTDB_TEST_MODE"] = "yes";
    info.Environment["CTDB_BASE"] = Path.Combine(options.Dir, $"node.{node}");
    foreach (var argument in arguments)
    {
        info.ArgumentList.Add(argument);
    }

    var started = Stopwatch.GetTimestamp();
    using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start ctdb");
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    try
    {
        await process.WaitForExitAsync().WaitAsync(limit);
    }
    catch (TimeoutException)
    {
        process.Kill(entireProcessTree: true);
        return new ToolResult(false, $"ctdb {string.Join(' ', arguments)} on node {node} killed after {limit.TotalSeconds:0} s");
    }

    var took = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    var text = $"ctdb {string.Join(' ', arguments)} on node {node}: exit {process.ExitCode} after {took:0} ms {(await output).Trim()} {(await error).Trim()}";
    return new ToolResult(process.ExitCode == 0, text);
}

Task<ToolResult> KillCtdbdAsync(int node)
{
    var pid = int.Parse(File.ReadAllText(Path.Combine(options.Dir, $"node.{node}", "run", "ctdbd.pid")).Trim(), CultureInfo.InvariantCulture);
    using var process = Process.GetProcessById(pid);
    process.Kill();
    return Task.FromResult(new ToolResult(true, $"SIGKILL to ctdbd {pid} of node {node}"));
}

static void Log(string text) => Console.Error.WriteLine($"measure-failover-trial: {text}");

static TrialOptions ParseArguments(string[] arguments)
{
    string? dir = null, kind = null, timeline = null, fillTool = null;
    List<int>? among = null;
    var count = 0;
    var samples = 5;
    var idleSeconds = 60;
    var idleSettle = 0;
    for (var i = 0; i + 1 < arguments.Length; i += 2)
    {
        switch (arguments[i])
        {
            case "--dir": dir = arguments[i + 1]; break;
            case "--nodes": count = int.Parse(arguments[i + 1], CultureInfo.InvariantCulture); break;
            case "--event": kind = arguments[i + 1]; break;
            case "--leader-among": among = arguments[i + 1].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList(); break;
            case "--timeline": timeline = arguments[i + 1]; break;
            case "--samples": samples = int.Parse(arguments[i + 1], CultureInfo.InvariantCulture); break;
            case "--idle-seconds": idleSeconds = int.Parse(arguments[i + 1], CultureInfo.InvariantCulture); break;
            case "--idle-settle": idleSettle = int.Parse(arguments[i + 1], CultureInfo.InvariantCulture); break;
            case "--fill-tool": fillTool = arguments[i + 1]; break;
            default: throw new ArgumentException($"unknown option {arguments[i]}");
        }
    }

    return dir is null || count < 2 || kind is not ("stop" or "ban" or "kill" or "ipreallocate" or "recover10k" or "idle")
            || (kind == "recover10k" && fillTool is null) || samples < 1 || idleSeconds < 1 || idleSettle < 0
        ? throw new ArgumentException("usage: --dir CLUSTER_DIR --nodes N --event stop|ban|kill|ipreallocate|recover10k|idle [--timeline FILE] [--leader-among PNNS] [--samples K] [--idle-seconds S] [--idle-settle S] [--fill-tool PATH]")
        : new TrialOptions(dir, count, kind, timeline, samples, idleSeconds, idleSettle, fillTool, among);
}

internal sealed record TrialOptions(string Dir, int Nodes, string Event, string? Timeline = null, int Samples = 5, int IdleSeconds = 60, int IdleSettleSeconds = 0, string? FillTool = null, IReadOnlyList<int>? LeaderAmong = null);

internal sealed record ToolResult(bool Ok, string Text)
{
    public override string ToString() => Text;
}

/// <summary>
/// The latest LEADER broadcast each node received, and — once watched — the moment at which
/// every watched node's latest broadcast names the same leader other than the old one.
/// </summary>
internal sealed class LeaderBroadcasts(IEnumerable<int> nodes)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, uint> _latest = nodes.ToDictionary(n => n, _ => CtdbConstants.UnknownPnn);
    private readonly TaskCompletionSource<(int Leader, long At)> _agreement = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<int>? _watched;
    private uint _old;

    /// <summary>Where each broadcast is also written once watching has started (bench timeline).</summary>
    public Timeline? Timeline { get; set; }

    public Task<(int Leader, long At)> Agreement => _agreement.Task;

    public void Record(int node, uint leader, long at)
    {
        lock (_lock)
        {
            if (_watched is not null)
            {
                Timeline?.Mark(node, leader == CtdbConstants.UnknownPnn ? "LEADER unknown" : $"LEADER {leader}", at);
            }

            _latest[node] = leader;
            if (_watched is not null && _watched.All(n => _latest[n] == leader) && leader != _old && leader != CtdbConstants.UnknownPnn)
            {
                _agreement.TrySetResult(((int)leader, at));
            }
        }
    }

    /// <summary>Starts watching for a new leader; what arrived before no longer counts.</summary>
    public void Watch(IEnumerable<int> active, int oldLeader)
    {
        lock (_lock)
        {
            _watched = active.ToList();
            _old = (uint)oldLeader;
            foreach (var node in _latest.Keys.ToList())
            {
                _latest[node] = CtdbConstants.UnknownPnn;
            }
        }
    }

    public uint? CommonLatest(IEnumerable<int> of)
    {
        lock (_lock)
        {
            var values = of.Select(n => _latest[n]).Distinct().ToList();
            return values is [var only] && only != CtdbConstants.UnknownPnn ? only : null;
        }
    }
}

/// <summary>
/// The hand-over as seen from outside (bench timeline): LEADER broadcasts as they arrive and
/// every recovery-mode change of the active nodes (polled every 20 ms), in ms from the event.
/// </summary>
internal sealed class Timeline
{
    private readonly Lock _lock = new();
    private readonly List<(double Ms, int Node, string What)> _entries = [];
    private readonly string _file;
    private readonly long _start;
    private volatile bool _stopping;
    private readonly Task _poller;

    public Timeline(string file, long start, IReadOnlyDictionary<int, CtdbClient> clients, IReadOnlyList<int> active)
    {
        _file = file;
        _start = start;
        Mark(-1, "event");
        _poller = Task.Run(() => PollAsync(clients, active));
    }

    public void Mark(int node, string what, long? at = null)
    {
        var ms = Stopwatch.GetElapsedTime(_start, at ?? Stopwatch.GetTimestamp()).TotalMilliseconds;
        lock (_lock)
        {
            _entries.Add((ms, node, what));
        }
    }

    public async Task StopAsync()
    {
        _stopping = true;
        await _poller.ContinueWith(_ => { }, TaskScheduler.Default);
        List<(double Ms, int Node, string What)> entries;
        lock (_lock)
        {
            entries = [.. _entries.OrderBy(e => e.Ms)];
        }

        await File.WriteAllLinesAsync(_file, entries.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Ms:0.0}\t{e.Node}\t{e.What}")));
    }

    private async Task PollAsync(IReadOnlyDictionary<int, CtdbClient> clients, IReadOnlyList<int> active)
    {
        var last = active.ToDictionary(n => n, _ => (CtdbRecoveryMode?)null);
        while (!_stopping && Stopwatch.GetElapsedTime(_start) < TimeSpan.FromSeconds(60))
        {
            foreach (var node in active)
            {
                try
                {
                    var mode = await clients[node].ControlAsync(Controls.GetRecmode(CtdbConstants.CurrentNode), Controls.ParseGetRecmode, TimeSpan.FromSeconds(1));
                    if (last[node] != mode)
                    {
                        last[node] = mode;
                        Mark(node, mode == CtdbRecoveryMode.Normal ? "recmode NORMAL" : "recmode ACTIVE");
                    }
                }
                catch (TimeoutException)
                {
                    // A busy node is simply sampled again.
                }
            }

            await Task.Delay(20).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}

/// <summary>The steady-state measurements of scripts/bench.sh on a quiet cluster.</summary>
internal static class SteadyState
{
    private const string Database = "bench10k.tdb";
    private const int Records = 10_000;

    public static Task RunAsync(TrialOptions options, IReadOnlyDictionary<int, CtdbClient> clients, IReadOnlyList<int> nodes, int leader,
        Func<int, TimeSpan, string[], Task<ToolResult>> runTool) => options.Event switch
    {
        "ipreallocate" => IpreallocateAsync(options, nodes, leader, runTool),
        "recover10k" => Recover10kAsync(options, clients, nodes, leader, runTool),
        _ => IdleAsync(options, nodes, leader),
    };

    private static async Task IpreallocateAsync(TrialOptions options, IReadOnlyList<int> nodes, int leader, Func<int, TimeSpan, string[], Task<ToolResult>> runTool)
    {
        var node = nodes.First(n => n != leader);
        for (var i = 0; i < options.Samples; i++)
        {
            // 1.3 s apart, so the requests fall at varying phases of a 1 s daemon loop.
            await Task.Delay(TimeSpan.FromMilliseconds(1300));
            var watch = Stopwatch.StartNew();
            var run = await runTool(node, TimeSpan.FromSeconds(30), ["ipreallocate"]);
            Print("ipreallocate_ms", run.Ok ? watch.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) : "-");
        }
    }

    private static async Task Recover10kAsync(TrialOptions options, IReadOnlyDictionary<int, CtdbClient> clients, IReadOnlyList<int> nodes, int leader, Func<int, TimeSpan, string[], Task<ToolResult>> runTool)
    {
        var limit = TimeSpan.FromSeconds(20);
        var attach = await runTool(nodes[0], limit, ["attach", Database]);
        if (!attach.Ok)
        {
            throw new InvalidOperationException(attach.Text);
        }

        var paths = new Dictionary<int, string>();
        foreach (var node in nodes)
        {
            var map = await runTool(node, limit, ["getdbmap"]);
            var match = System.Text.RegularExpressions.Regex.Match(map.Text, $@"name:{System.Text.RegularExpressions.Regex.Escape(Database)} path:(\S+)");
            paths[node] = match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"no path for {Database} on node {node}: {map.Text}");
            // Every node holds every record, with a different RSN, so the recovery has to merge.
            await RunFillToolAsync(options.FillTool!, "fill", paths[node], Records.ToString(CultureInfo.InvariantCulture),
                node.ToString(CultureInfo.InvariantCulture), (node + 1).ToString(CultureInfo.InvariantCulture));
        }

        // At a random phase of the leader's 1 s loop, as a real trigger falls. Without this the
        // trigger followed the setup by a fixed time, and the setup follows the last
        // ipreallocate, which restarts our leader's loop: every trial hit the same phase (0.3 s
        // at 3 nodes, 1.2 s at 5 in session 7), whatever the daemon's own cost.
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000)));
        var timeout = TimeSpan.FromSeconds(1);
        var before = (await clients[nodes[0]].ControlAsync(Controls.GetVnnmap(CtdbConstants.CurrentNode), Controls.ParseGetVnnmap, timeout)).Generation;
        var trigger = nodes.First(n => n != leader);
        var triggeredAt = DateTimeOffset.Now; // wall clock, as the leader's log lines carry it
        var watch = Stopwatch.StartNew();
        await clients[trigger].ControlAsync(Controls.SetRecmode(CtdbConstants.CurrentNode, CtdbRecoveryMode.Active), r => { Controls.ParseSetRecmode(r); return true; }, timeout);
        double? done = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(60) && done is null)
        {
            await Task.Delay(20);
            try
            {
                var generation = (await clients[nodes[0]].ControlAsync(Controls.GetVnnmap(CtdbConstants.CurrentNode), Controls.ParseGetVnnmap, timeout)).Generation;
                var modes = await Task.WhenAll(nodes.Select(n => clients[n].ControlAsync(Controls.GetRecmode(CtdbConstants.CurrentNode), Controls.ParseGetRecmode, timeout)));
                if (generation != before && modes.All(m => m == CtdbRecoveryMode.Normal))
                {
                    done = watch.Elapsed.TotalMilliseconds;
                }
            }
            catch (TimeoutException)
            {
                // Nodes in recovery may answer late; poll again.
            }
        }

        Print("recover10k_ms", done is { } ms ? ms.ToString("0", CultureInfo.InvariantCulture) : "-");
        // The same recovery without the 0-1 s until the leader's next loop iteration sees the
        // ACTIVE mode: that phase swamps a few trials' medians, and both daemons wait it alike.
        var notice = done is null ? null : LeaderNoticeMs(options.Dir, leader, triggeredAt);
        Print("recover10k_notice_ms", notice is { } n ? n.ToString("0", CultureInfo.InvariantCulture) : "-");
        Print("recover10k_from_notice_ms", done is { } total && notice is { } seen ? (total - seen).ToString("0", CultureInfo.InvariantCulture) : "-");
        Print("records", (await RunFillToolAsync(options.FillTool!, "count", paths[nodes[0]])).Trim());
    }

    /// <summary>
    /// Milliseconds from the trigger to the leader's first "Node:N was in recovery mode. Start
    /// recovery process" after it (both daemons log it, with microseconds, in node.N/log.ctdb).
    /// </summary>
    private static double? LeaderNoticeMs(string dir, int leader, DateTimeOffset triggeredAt)
    {
        const string Notice = " was in recovery mode. Start recovery process";
        foreach (var line in File.ReadLines(Path.Combine(dir, $"node.{leader}", "log.ctdb")))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line.Contains(Notice, StringComparison.Ordinal)
                && DateTimeOffset.TryParse(line.AsSpan(0, space), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                && at >= triggeredAt)
            {
                return (at - triggeredAt).TotalMilliseconds;
            }
        }

        return null;
    }

    private static async Task IdleAsync(TrialOptions options, IReadOnlyList<int> nodes, int leader)
    {
        var pids = nodes.ToDictionary(n => n, n =>
        {
            var ctdbd = int.Parse(File.ReadAllText(Path.Combine(options.Dir, $"node.{n}", "run", "ctdbd.pid")).Trim(), CultureInfo.InvariantCulture);
            return (Ctdbd: ctdbd, Recd: RecoveryDaemonOf(ctdbd));
        });

        // A daemon that has just started or just seen a new leader is not yet in its idle
        // rhythm (ours: a follower falls into step with the leader's broadcast within a minute).
        await Task.Delay(TimeSpan.FromSeconds(options.IdleSettleSeconds));
        var clocks = pids.ToDictionary(p => p.Key, p => (Recd: new ThreadCpuClock(p.Value.Recd), Ctdbd: new ThreadCpuClock(p.Value.Ctdbd)));
        var ticksBefore = pids.ToDictionary(p => p.Key, p => (Recd: TicksMs(p.Value.Recd), Ctdbd: TicksMs(p.Value.Ctdbd)));
        var window = Stopwatch.StartNew();
        while (window.Elapsed < TimeSpan.FromSeconds(options.IdleSeconds))
        {
            // Threads that exit between samples lose at most this much of their time.
            await Task.Delay(TimeSpan.FromSeconds(1));
            foreach (var (recd, ctdbd) in clocks.Values)
            {
                recd.Sample();
                ctdbd.Sample();
            }
        }

        var perMinute = 60.0 / window.Elapsed.TotalSeconds;
        foreach (var node in nodes)
        {
            var (ctdbd, recd) = pids[node];
            var (recdClock, ctdbdClock) = clocks[node];
            Print("idle", string.Create(CultureInfo.InvariantCulture,
                $"{node}\t{(node == leader ? "leader" : "other")}\t{recdClock.Milliseconds * perMinute:0.0}\t{ctdbdClock.Milliseconds * perMinute:0.0}"
                + $"\t{ProcField(recd, "status", "VmRSS:")}\t{ProcField(recd, "smaps_rollup", "Pss:")}"
                + $"\t{(TicksMs(recd) - ticksBefore[node].Recd) * perMinute:0}\t{(TicksMs(ctdbd) - ticksBefore[node].Ctdbd) * perMinute:0}"));
            if (recdClock.ThreadsGone + ctdbdClock.ThreadsGone > 0)
            {
                Console.Error.WriteLine($"idle: node {node}: {recdClock.ThreadsGone} daemon and {ctdbdClock.ThreadsGone} ctdbd threads exited during the window");
            }
        }
    }

    private static int RecoveryDaemonOf(int ctdbd)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (stat.Contains("(ctdb_recoverd)", StringComparison.Ordinal) && fields[1] == ctdbd.ToString(CultureInfo.InvariantCulture))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process went away while we looked.
            }
        }

        throw new InvalidOperationException($"no recovery daemon under ctdbd {ctdbd}");
    }

    /// <summary>utime + stime in ms (fields 14 and 15 of /proc/PID/stat, 100 ticks a second).</summary>
    private static long TicksMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10;
    }

    private static string ProcField(int pid, string file, string name)
    {
        var line = File.ReadLines($"/proc/{pid}/{file}").FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] ?? "-";
    }

    private static async Task<string> RunFillToolAsync(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {tool}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)}: {await error}");
    }

    private static void Print(string name, string value) => Console.WriteLine($"{name}\t{value}");
}

/// <summary>
/// A process's CPU time to the nanosecond: the sum over its threads of the first field of
/// /proc/PID/task/TID/schedstat (time on a CPU), which is what `perf stat -e task-clock`
/// counts. The utime + stime of /proc/PID/stat come in 10 ms ticks, too coarse for a daemon
/// that uses 20 ms a minute. Threads are read again at every Sample: one born since counts
/// from zero, one that has exited keeps its last value.
/// </summary>
internal sealed class ThreadCpuClock
{
    private readonly int _pid;
    private readonly Dictionary<int, long> _first = [];
    private readonly Dictionary<int, long> _last = [];
    private bool _started;

    public ThreadCpuClock(int pid)
    {
        _pid = pid;
        Sample();
        _started = true;
    }

    /// <summary>Threads seen at an earlier sample and missing from the latest one.</summary>
    public int ThreadsGone { get; private set; }

    public double Milliseconds => _last.Sum(t => t.Value - _first[t.Key]) / 1e6;

    public void Sample()
    {
        var seen = new HashSet<int>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{_pid}/task"))
        {
            if (!int.TryParse(Path.GetFileName(task), out var tid))
            {
                continue;
            }

            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "schedstat"));
            }
            catch (IOException)
            {
                continue; // exited while we looked
            }

            var ns = long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            seen.Add(tid);
            _first.TryAdd(tid, _started ? 0 : ns);
            _last[tid] = ns;
        }

        ThreadsGone = _last.Keys.Count(tid => !seen.Contains(tid));
    }
}
