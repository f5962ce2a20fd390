#:project ../bindings/CtdbInterop.Bindings/CtdbInterop.Bindings.csproj
// One failover trial on a running local cluster; scripts/measure-failover.sh starts the
// cluster and runs this once per trial (a .NET file-based app: `dotnet run --file`).
//
//   measure-failover-trial.cs --dir CLUSTER_DIR --nodes N --event stop|ban|kill [--leader-among PNNS]
//
// --leader-among 0,1 steers leadership onto one of those nodes before the event (in a mixed
// cluster: onto a node running our daemon, so the measured hand-over is our resignation to
// stock peers): the other nodes give up the leader role (`ctdb setleaderrole off`) until one
// of the listed nodes leads, then take it back, and the cluster is left to become quiet again.
//
// Waits until the cluster is quiet (all nodes active and NORMAL on one generation, one
// leader announced, no recovery daemon still suppressing recoveries), writes a record from
// the leader (so the leader is its dmaster), then makes the leader inactive or kills its
// ctdbd and measures, with a monotonic clock from the moment just before the event:
//   agree   every active node has received a LEADER broadcast naming the same new leader
//           as its latest one (broadcasts are timestamped on arrival, one client per node);
//   healthy every active node is in recovery mode NORMAL and `ctdb writekey` of that record
//           from an active node other than the new leader has completed (polled every 50 ms).
// Prints one tab-separated line: old leader, new leader, agree ms, healthy ms, outcome.
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
if (options.LeaderAmong is { } wanted)
{
    oldLeader = await SteerLeadershipAsync(oldLeader, wanted);
}

await RunToolAsync(oldLeader, TimeSpan.FromSeconds(20), "attach", Database);
await RunToolAsync(oldLeader, TimeSpan.FromSeconds(20), "writekey", Database, Key, "before");
var active = nodes.Where(n => n != oldLeader).ToList();
Log($"old leader {oldLeader}; event {options.Event}");

broadcasts.Watch(active, oldLeader);
var start = Stopwatch.GetTimestamp();
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
    var writer = active.First(n => n != newLeader);
    var healthyMs = await WaitUntilHealthyAsync(writer);
    result = healthyMs is { } ms
        ? $"{oldLeader}\t{newLeader}\t{agreeMs:0}\t{ms:0}\tok"
        : $"{oldLeader}\t{newLeader}\t{agreeMs:0}\t-\tnot-healthy";
}

Console.WriteLine(result);
var commandResult = await eventCommand;
Log($"event command: {commandResult}");
foreach (var client in clients.Values)
{
    await client.DisposeAsync();
}

await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
return 0;

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
    string? dir = null, kind = null;
    List<int>? among = null;
    var count = 0;
    for (var i = 0; i + 1 < arguments.Length; i += 2)
    {
        switch (arguments[i])
        {
            case "--dir": dir = arguments[i + 1]; break;
            case "--nodes": count = int.Parse(arguments[i + 1], CultureInfo.InvariantCulture); break;
            case "--event": kind = arguments[i + 1]; break;
            case "--leader-among": among = arguments[i + 1].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList(); break;
            default: throw new ArgumentException($"unknown option {arguments[i]}");
        }
    }

    return dir is null || count < 2 || kind is not ("stop" or "ban" or "kill")
        ? throw new ArgumentException("usage: --dir CLUSTER_DIR --nodes N --event stop|ban|kill [--leader-among PNNS]")
        : new TrialOptions(dir, count, kind, among);
}

internal sealed record TrialOptions(string Dir, int Nodes, string Event, IReadOnlyList<int>? LeaderAmong);

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

    public Task<(int Leader, long At)> Agreement => _agreement.Task;

    public void Record(int node, uint leader, long at)
    {
        lock (_lock)
        {
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
