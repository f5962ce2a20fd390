using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Cluster;
using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Recovery;
using CtdbInterop.Recoverd.Daemon;
using CtdbInterop.Recoverd.Hosting;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Metrics;
using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Simulation;

/// <summary>
/// One run of the real <see cref="RecoveryDaemon"/> on a simulated node: its connector,
/// message inbox, helper programs and clock. A killed instance is dead for good: its
/// timers stop, its pending controls never answer and whatever it still sends is dropped.
/// </summary>
internal sealed class SimDaemonHost : ICtdbdConnector, IDaemonHelpers, ILogSink
{
    private readonly SimCluster _cluster;
    private readonly SimNode _node;
    private readonly Queue<MessagePacket> _inbox = new();
    private readonly HashSet<ulong> _registered = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random;
    private TaskCompletionSource? _inboxWaiter;
    private SimGateway? _gateway;

    public SimDaemonHost(SimCluster cluster, SimNode node, DecisionOptions options, int instance)
    {
        _cluster = cluster;
        _node = node;
        Options = options;
        _random = new Random(unchecked((cluster.Config.Seed * 1_000_003) + ((int)node.Pnn * 7919) + (instance * 104_729)));
        Clock = new VirtualClock(cluster.Scheduler, cluster.Config.WallSkew[node.Pnn]);
        var settings = new DaemonSettings(
            new CtdbEnvironment { TestMode = true },
            $"/sim/node{node.Pnn}.socket",
            new DaemonConfiguration(cluster.Config.LeaderTimeoutSeconds, false, "/sim/state"),
            1);
        Log = new CtdbLog(this, CtdbLogLevel.Error);
        // No metrics files: a simulated node must not touch the host's disk (nor leave the one thread).
        Daemon = new RecoveryDaemon(Log, settings, this, this, Clock, new SeededRandomSource(_random.Next()), options, MetricsOptions.Parse("off"));
    }

    public uint Pnn => _node.Pnn;

    public SimCluster Cluster => _cluster;

    public SimNode Node => _node;

    public DecisionOptions Options { get; }

    /// <summary>Stock peers (4.22.6 in every respect) are exempt from the fixed bugs' invariants.</summary>
    public bool IsStock => Options == DecisionOptions.Stock4226;

    public VirtualClock Clock { get; }

    public CtdbLog Log { get; }

    public RecoveryDaemon Daemon { get; }

    public bool IsDead { get; private set; }

    /// <summary>The daemon's MonitorCluster task (for diagnostics).</summary>
    public Task? RunTask { get; private set; }

    /// <summary>SIGTERM was sent: the orderly shutdown is running.</summary>
    public bool IsStopping { get; private set; }

    public SimMutex? Mutex { get; set; }

    /// <summary>An election started by this node is still running (invariant: no nested elections).</summary>
    public bool ElectionOpen { get; set; }

    /// <summary>The daemon's count of ended classic exchanges when it last sent an ELECTION message.</summary>
    public int? ExchangesEndedAtLastRequest { get; set; }

    public Random Random => _random;

    public void Start()
    {
        _cluster.Timeline.Add(_cluster.Scheduler.Now, Pnn, $"daemon started ({(IsStock ? "stock 4.22.6" : Options == DecisionOptions.Default ? "ours" : "ours, test options")})");
        RunTask = Daemon.RunOnCurrentContextAsync(_stop.Token);
        _ = ObserveAsync(RunTask);
    }

    private async Task ObserveAsync(Task run)
    {
        try
        {
            await run;
            _cluster.Timeline.Add(_cluster.Scheduler.Now, Pnn, "daemon exited");
        }
        catch (FatalDaemonException e)
        {
            _cluster.Timeline.Add(_cluster.Scheduler.Now, Pnn, $"daemon exited: {e.Message}");
        }
        catch (Exception e) when (!IsDead)
        {
            _cluster.Fail("daemon-crash", Pnn, e.ToString());
        }

        if (!IsDead)
        {
            Kill();
            _cluster.DaemonGone(_node, this);
        }
    }

    /// <summary>SIGTERM: the daemon resigns (if leader), releases the lock and exits.</summary>
    public void Terminate()
    {
        if (!IsDead && !IsStopping)
        {
            IsStopping = true;
            _cluster.Timeline.Add(_cluster.Scheduler.Now, Pnn, "daemon: SIGTERM");
            _stop.Cancel();
        }
    }

    /// <summary>SIGKILL, or ctdbd died: the instance and its mutex helper are gone.</summary>
    public void Kill()
    {
        if (IsDead)
        {
            return;
        }

        IsDead = true;
        Clock.Kill();
        Mutex?.OwnerDied();
        _inboxWaiter = null;
        if (ReferenceEquals(_node.Daemon, this))
        {
            _node.Daemon = null;
        }
    }

    /// <summary>A message from ctdbd for one of the registered srvids.</summary>
    public void Deliver(MessagePacket packet)
    {
        if (IsDead || !_registered.Contains(packet.Srvid))
        {
            return;
        }

        _inbox.Enqueue(_cluster.SpoiledMessagesUntil[Pnn] > _cluster.Scheduler.NowTicks ? Spoil(packet) : packet);
        var waiter = _inboxWaiter;
        _inboxWaiter = null;
        waiter?.TrySetResult();
    }

    private MessagePacket Spoil(MessagePacket packet)
    {
        var data = packet.Data.ToArray();
        if (_cluster.SpoiledMessages[Pnn] == FaultKind.TruncatedMessages)
        {
            return packet with { Data = data.AsMemory(0, data.Length / 2) };
        }

        _random.NextBytes(data);
        return packet with { Data = data };
    }

    internal void Register(ulong srvid) => _registered.Add(srvid);

    internal async IAsyncEnumerable<MessagePacket> ReadInboxAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (!IsDead)
        {
            while (_inbox.TryDequeue(out var packet))
            {
                yield return packet;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _inboxWaiter = waiter;
            using (ct.Register(static s => ((TaskCompletionSource)s!).TrySetCanceled(), waiter))
            {
                await waiter.Task;
            }
        }
    }

    public Task<ICtdbdGateway> ConnectAsync(CancellationToken ct)
    {
        _gateway = new SimGateway(this);
        return Task.FromResult<ICtdbdGateway>(_gateway);
    }

    public IClusterMutex? StartClusterMutex(string lockString)
    {
        if (_cluster.LockSpawnFailsUntil[Pnn] > _cluster.Scheduler.NowTicks)
        {
            // What ProcessHelpers does when the spawn throws.
            Log.Error("Unable to start cluster mutex helper: posix_spawn: Resource temporarily unavailable (simulated)");
            return null;
        }

        if (Mutex is { HasExited: false } && !IsStock)
        {
            _cluster.Fail("nested-election", Pnn, "a second cluster mutex helper was started while one is running");
        }

        var mutex = new SimMutex(this);
        Mutex = mutex;
        mutex.Begin();
        return mutex;
    }

    public Task<HelperResult> RunRecoveryAsync(uint generation, CancellationToken ct)
    {
        var node = _node;
        var inactive = (node.OwnFlags & NodeFlags.Inactive) != 0;
        if (inactive || !node.LeaderRole)
        {
            var why = inactive ? $"its ctdbd holds flags {node.OwnFlags}" : "its ctdbd has no leader capability";
            if (IsStock)
            {
                _cluster.StockRecoveriesByInactiveNode++;
                _cluster.Timeline.Add(_cluster.Scheduler.Now, Pnn, $"stock peer starts a recovery although {why} (bug 16082)");
            }
            else
            {
                _cluster.Fail("recovery-by-inactive-node", Pnn, $"recovery helper started although {why}");
            }
        }

        _cluster.Timeline.Add(_cluster.Scheduler.Now, Pnn, $"recovery helper started (generation {generation})");
        var result = new TaskCompletionSource<HelperResult>();
        var registration = CancelLater(result, ct);
        var duration = TimeSpan.FromMilliseconds(_random.Next(20, 300));
        _cluster.Scheduler.At(duration, () =>
        {
            registration.Dispose();
            if (IsDead || result.Task.IsCompleted)
            {
                return;
            }

            var ok = _cluster.CompleteRecovery(Pnn, generation);
            result.TrySetResult(new HelperResult(ok ? 0 : 1));
        });
        return result.Task;
    }

    public Task<HelperResult> RunTakeoverAsync(string? rebalanceArgument, CancellationToken ct)
    {
        var result = new TaskCompletionSource<HelperResult>();
        var registration = CancelLater(result, ct);
        _cluster.Scheduler.At(TimeSpan.FromMilliseconds(_random.Next(5, 60)), () =>
        {
            registration.Dispose();
            if (IsDead || result.Task.IsCompleted)
            {
                return;
            }

            _cluster.TakeoverRuns++;
            result.TrySetResult(new HelperResult(_node.CtdbdUp ? 0 : 1));
        });
        return result.Task;
    }

    /// <summary>
    /// A killed helper's result arrives as its own step a moment later (as the reaped process
    /// would), never inline inside the daemon code that cancelled it.
    /// </summary>
    private CancellationTokenRegistration CancelLater(TaskCompletionSource<HelperResult> result, CancellationToken ct) =>
        ct.Register(() => _cluster.Scheduler.At(TimeSpan.FromMilliseconds(1), () =>
        {
            if (!IsDead)
            {
                result.TrySetCanceled();
            }
        }));

    void ILogSink.Write(CtdbLogLevel level, string text)
    {
        if (IsDead)
        {
            return;
        }

        if (!IsStock && text.StartsWith("Cluster mutex helper still running", StringComparison.Ordinal))
        {
            _cluster.Fail("nested-election", Pnn, text);
        }
        else if (text.StartsWith("Internal error", StringComparison.Ordinal))
        {
            _cluster.Fail("daemon-internal-error", Pnn, text);
        }
        else if (text.StartsWith("Failed to handle message", StringComparison.Ordinal))
        {
            // A handler threw what no message should make it throw: a bug, even though the
            // daemon logs it and carries on.
            _cluster.Fail("message-handler-failed", Pnn, text);
        }

        _cluster.Timeline.Add(_cluster.Scheduler.Now, Pnn, text);
    }

    bool ILogSink.Reopen() => true;

    void IDisposable.Dispose()
    {
    }
}
