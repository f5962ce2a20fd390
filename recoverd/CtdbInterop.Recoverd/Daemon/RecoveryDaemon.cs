using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Cluster;
using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Reporting;
using CtdbInterop.Recoverd.Core.Election;
using CtdbInterop.Recoverd.Core.Gates;
using CtdbInterop.Recoverd.Core.MainLoop;
using CtdbInterop.Recoverd.Core.Recovery;
using CtdbInterop.Recoverd.Core.Takeover;
using CtdbInterop.Recoverd.Hosting;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Metrics;
using CtdbInterop.Recoverd.Threading;
using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Recoverd.Daemon;

/// <summary>
/// The recovery daemon proper (monitor_cluster): the async shell around the decision core.
/// Everything runs on one <see cref="SingleThreadContext"/>: three flows — the main loop,
/// the message pump and the timer pump — interleave only at awaits, and every list of
/// actions the core returns is executed in order, one list at a time.
/// </summary>
internal sealed partial class RecoveryDaemon : IRecoveryLoop, IDisposable
{
    // The longest the timer pump sleeps without a deadline. Decisions that arm an earlier
    // deadline wake it (WakeTimers), so this is only a safety net; every wake-up of an idle
    // daemon costs CPU (issue 7), hence 1 s rather than a fast poll.
    private static readonly TimeSpan TimerIdle = TimeSpan.FromSeconds(1);

    private readonly CtdbLog _log;
    private readonly DaemonSettings _settings;
    private readonly ICtdbdConnector _connector;
    private readonly IDaemonHelpers _helpers;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly AsyncMutex _actionLock = new();
    private readonly OperationGate _takeoverGate = OperationGate.TakeoverRuns();
    private readonly OperationGate _recoveryGate = OperationGate.Recoveries();
    private readonly OperationGate[] _gates;
    private readonly CulpritTable _culprits = new();
    private readonly PendingTakeoverRequests _takeoverRequests = new();
    private readonly RebalanceTargets _rebalance = new();
    private readonly InterfaceChangeDetector _interfaces = new();
    private readonly IRandomSource _random;
    private readonly DecisionOptions _options;

    private ICtdbdGateway _ctdbd = null!;
    private LeaderElection _election = null!;
    private RecdConfig _config = null!;
    private LoopMemory _memory = null!;
    private RecdTunables _tunables = RecdTunables.Defaults;
    private CancellationToken _stopping;
    // The handling of the last message that did not finish at once (awaited at shutdown).
    private Task _messageInFlight = Task.CompletedTask;
    private ClusterStateReporter? _clusterState;
    private IClusterMutex? _lockHelper;
    private long _lockHelperAttempt;
    private CancellationTokenSource? _runningHelper;
    private readonly MetricsOptions _metricsOptions;
    private MetricsPublisher? _metrics;
    private bool _wasLeader;
    private ReadAheadPlan? _readAheadPlan;
    private (NodeMapView Map, LeaderReadTargets Targets)? _leaderReadTargets;
    private long _actionsExecuted;

    // How far ahead a timer may be taken early on this clock (zero on the simulator's), and
    // when the main loop's pause ends (null while it iterates): see AlignBroadcastTick.
    private TimeSpan _coalesceWindow;
    private TimeSpan? _loopWakeAt;

    // When the timer pump's sleep ends (null while it runs): see WakeTimers.
    private TimeSpan? _pumpSleepsUntil;
    private readonly WakeSignal _timerWake;
    private readonly WakeSignal _loopWake;

    public RecoveryDaemon(CtdbLog log, DaemonSettings settings, HelperRunner helpers, HelperLocator locator, ProcessSpawner spawner)
        : this(
            log,
            settings,
            new CtdbdConnector(settings.SocketPath, log),
            new ProcessHelpers(helpers, locator, spawner, log, settings),
            TimeProvider.System,
            new SeededRandomSource(Environment.ProcessId ^ (int)DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            DecisionOptions.Default)
    {
    }

    /// <summary>The seams: the door to ctdbd, the helper programs, the clock, randomness and (test-only) decision options.</summary>
    /// <remarks>Metrics come from <c>CTDB_RECOVERD_METRICS_DIR</c> unless <paramref name="metrics"/> says otherwise (the simulator switches them off).</remarks>
    internal RecoveryDaemon(CtdbLog log, DaemonSettings settings, ICtdbdConnector connector, IDaemonHelpers helpers, TimeProvider time, IRandomSource random, DecisionOptions options, MetricsOptions? metrics = null)
    {
        _metricsOptions = metrics ?? MetricsOptions.FromEnvironment();
        _log = log;
        _settings = settings;
        _connector = connector;
        _helpers = helpers;
        _time = time;
        _started = time.GetTimestamp();
        _random = random;
        _options = options;
        _timerWake = new WakeSignal(time);
        _loopWake = new WakeSignal(time);
        _gates = [_takeoverGate, _recoveryGate];
    }

    private TimeSpan Now => _time.GetElapsedTime(_started);

    // Election priority times are wall-clock time, as the C daemon's gettimeofday (B80, B86).
    private WallTime WallNow => WallTime.FromUnixMicroseconds((_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10);

    private uint OwnPnn => _config.OwnPnn;

    private NodeView View => _memory.ToNodeView(WallNow, _tunables);

    public Task RunAsync(CancellationToken stoppingToken)
    {
        // The daemon's own thread: every continuation of the daemon's logic comes back here.
        var thread = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new Thread(() =>
        {
            try
            {
                SingleThreadContext.Run(async () =>
                {
                    await MonitorClusterAsync(stoppingToken);
                    return 0;
                });
                thread.TrySetResult();
            }
            catch (Exception e)
            {
                thread.TrySetException(e);
            }
        })
        {
            Name = "ctdb_recoverd loop",
            IsBackground = true,
        };
        worker.Start();
        return thread.Task;
    }

    /// <summary>Runs the daemon on the caller's synchronization context (the simulator's scheduler).</summary>
    internal Task RunOnCurrentContextAsync(CancellationToken stoppingToken) => MonitorClusterAsync(stoppingToken);

    private async Task MonitorClusterAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        ICtdbdGateway client;
        try
        {
            client = await _connector.ConnectAsync(stoppingToken);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException)
        {
            _log.Error($"Failed to connect to ctdbd at {_settings.SocketPath}: {e.Message}");
            throw new FatalDaemonException(ExitCodes.Failure, $"cannot connect to {_settings.SocketPath}");
        }

        await using (client)
        {
            await StartAsync(client, stoppingToken);
            _log.Notice("monitor_cluster starting");

            client.DeliverMessagesTo(OnMessage, stoppingToken);
            _coalesceWindow = SingleThreadContext.CoalesceWindowFor(_time);
            var timers = PumpTimersAsync(stoppingToken);
            try
            {
                await MainLoopAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (CtdbConnectionLostException e)
            {
                _log.Error("Daemon has exited - shutting down client");
                _log.Debug(e.Message);
                throw new FatalDaemonException(ExitCodes.Failure, "ctdbd closed the connection");
            }

            await ShutdownAsync(client);
            _metrics?.Publish();
            await Task.WhenAll(IgnoreCancellation(_messageInFlight), IgnoreCancellation(timers));
        }
    }

    /// <summary>B07, B08 and what the C daemon inherits at fork (§1.3).</summary>
    private async Task StartAsync(ICtdbdGateway client, CancellationToken ct)
    {
        var pnn = await client.ReadOwnPnnAsync(ct);
        _ctdbd = client;
        _tunables = await _ctdbd.GetTunablesAsync(ct);
        _ctdbd.ControlTimeout = TimeSpan.FromSeconds(Math.Max(1, _tunables.RecoverTimeout));
        var reclock = await _ctdbd.GetReclockAsync(ct);
        var capabilities = await _ctdbd.GetCapabilitiesAsync([pnn], ct);
        // The node-list count is seeded from ctdbd's map, not from the file (B29).
        var nodeMap = await _ctdbd.GetNodeMapAsync(pnn, ct);

        _config = new RecdConfig(
            pnn,
            string.IsNullOrEmpty(reclock) ? null : reclock,
            TimeSpan.FromSeconds(_settings.Configuration.LeaderTimeoutSeconds),
            _settings.TestMode,
            _settings.Configuration.FailoverDisabled);
        _memory = LoopMemory.Initial(WallNow, nodeMap.Count, capabilities is not null && capabilities.TryGetValue(pnn, out var own) ? own : CtdbCapabilities.Default)
            with { NodeMap = nodeMap };
        _election = new LeaderElection(_config, _options);
        _metrics = MetricsPublisher.Create(
            _metricsOptions,
            () => new MetricsState(_election.IsLeader, _election.Leader, _election.IsLockHeld, _memory.NodeMap),
            _log);
        // B09: the periodic cluster-state report exists only without a cluster lock.
        _clusterState = _config.ClusterLockConfigured ? null : new ClusterStateReporter(Now);
        if (_config.FailoverDisabled)
        {
            Environment.SetEnvironmentVariable("CTDB_DISABLE_IP_FAILOVER", "1");
        }

        foreach (var srvid in RegisteredSrvids)
        {
            try
            {
                await _ctdbd.RegisterAsync(srvid, ct);
            }
            catch (Exception e) when (e is InvalidOperationException or CtdbControlTimeoutException)
            {
                _log.Error($"Failed to register srvid {srvid}");
            }
        }
    }

    /// <summary>B10: one iteration, then wait for the rest of RecoverInterval.</summary>
    private async Task MainLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var started = Now;
            await RunIterationAsync(ct);
            _metrics?.Publish();
            var left = LoopPause.After(_tunables.RecoverInterval, Now - started, OwnPnn, _election.Leader, _coalesceWindow > TimeSpan.Zero);
            if (left > TimeSpan.Zero)
            {
                // A takeover-run request (sent by ctdb stop, ban, disable, ipreallocate…) starts
                // the next iteration at once: the leader notices its own new flags and serves the
                // request without waiting out the rest of RecoverInterval.
                _loopWakeAt = Now + left;
                AlignBroadcastTick();
                await _loopWake.WaitAsync(left, ct);
                _loopWakeAt = null;
            }
        }
    }

    /// <summary>
    /// Issue 7, idle CPU: the broadcast loop's tick (B14, B73) never waits past the main
    /// loop's next wake-up, and a follower's waits for it when it is only a little later
    /// (<see cref="LoopPause"/>), so the daemon's two once-a-second timers settle into one wake-up
    /// even after a recovery or an early iteration moved the main loop's rhythm; closer than
    /// the coalescing window they share it anyway. Real clock only.
    /// </summary>
    private void AlignBroadcastTick()
    {
        if (_coalesceWindow > TimeSpan.Zero && _loopWakeAt is { } wakeAt && wakeAt > Now + _coalesceWindow)
        {
            var before = _election.BroadcastLoopDeadline;
            _election.AlignBroadcastLoop(wakeAt, LoopPause.FollowerTickSlack);
            if (_election.BroadcastLoopDeadline > before)
            {
                // A follower's tick moved later: the pump sleeps until the old deadline unless
                // told, and would then wake the daemon there, pulling the main loop with it.
                Nudge(TimerPumpSleep.AfterLaterDeadline(_pumpSleepsUntil, PumpSleep()));
            }
            else
            {
                WakeTimers();
            }
        }
    }

    /// <summary>Runs the election timers (B73, B74, B81-B84) and the gates' re-enable timers.</summary>
    private async Task PumpTimersAsync(CancellationToken ct)
    {
        // An election deadline this close is run now, as if it had come, when the pump is awake
        // anyway: the broadcast loop's tick (B73) then shares the main loop's wake-up rather
        // than waking the daemon again a few milliseconds later (issue 7, idle CPU). Its next
        // tick is armed from its deadline, a second on.
        var window = _coalesceWindow;
        while (!ct.IsCancellationRequested)
        {
            if (PumpSleep() is { } wait)
            {
                _pumpSleepsUntil = Now + wait;
                await _timerWake.WaitAsync(wait, ct);
                _pumpSleepsUntil = null;
            }

            foreach (var gate in _gates)
            {
                if (gate.OnTimerDue(Now) is { } line)
                {
                    Write(line);
                }
            }

            if (_clusterState is { } report && report.NextDeadline <= Now)
            {
                Write(report.OnTimerDue(Now, OwnPnn, _election.Leader, _memory.NodeMap));
            }

            var now = Now;
            if (_election.NextDeadline is { } due && due <= now + window)
            {
                var at = due > now ? due : now;
                await DecideAndExecuteAsync(() => _election.OnTimersDue(at, View), ct);
                AlignBroadcastTick();
            }
        }
    }

    /// <summary>Ends the main loop's pause between iterations early.</summary>
    private void WakeMainLoop() => _loopWake.Set();

    /// <summary>
    /// A node that has just become leader runs its leader checks (and the recovery they ask
    /// for) at once rather than at its next loop tick (issue 7).
    /// </summary>
    private void WakeMainLoopOnNewLeadership()
    {
        var leader = _election.IsLeader;
        if (leader && !_wasLeader)
        {
            WakeMainLoop();
        }

        _wasLeader = leader;
    }

    private TimeSpan? PumpSleep() => PumpSleep(NextTimerDeadline());

    private TimeSpan? PumpSleep(TimeSpan? nextDeadline) =>
        TimerPumpSleep.Length(Now, nextDeadline, _election.NextDeadline, TimerIdle, _coalesceWindow);

    /// <summary>
    /// Applies <paramref name="nudge"/> to the timer pump. A sleep that can no longer be moved
    /// (its wait has just ended) gets a wake-up instead, which its next wait takes up.
    /// </summary>
    private void Nudge(PumpNudge nudge)
    {
        switch (nudge.Kind)
        {
            case PumpNudgeKind.Reschedule when _timerWake.Reschedule(nudge.Sleep):
                _pumpSleepsUntil = Now + nudge.Sleep;
                break;
            case PumpNudgeKind.Reschedule or PumpNudgeKind.Wake:
                _timerWake.Set();
                break;
        }
    }

    /// <summary>The earliest deadline of the election, the gates and the cluster-state report.</summary>
    private TimeSpan? NextTimerDeadline()
    {
        var next = _election.NextDeadline;
        foreach (var gate in _gates)
        {
            if (gate.ReenableDeadline is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        if (_clusterState is { } reporter && (next is null || reporter.NextDeadline < next))
        {
            next = reporter.NextDeadline;
        }

        return next;
    }

    /// <summary>Tells the timer pump after a decision may have armed an earlier deadline (see <see cref="TimerPumpSleep"/>).</summary>
    private void WakeTimers()
    {
        var next = NextTimerDeadline();
        Nudge(TimerPumpSleep.AfterEarlierDeadline(_coalesceWindow > TimeSpan.Zero, _pumpSleepsUntil, next, PumpSleep(next)));
    }

    private async Task ShutdownAsync(ICtdbdGateway client)
    {
        // B05 and §3.3: a leader resigns so the others elect at once; the lock goes either way.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
        try
        {
            if (client.IsConnected)
            {
                // The signal handler has logged "Received SIGTERM, exiting" as the signal arrived.
                var actions = _election.OnSigterm(Now, View, resign: _election.IsLeader)
                    .Where(a => a is not RecdAction.Log { Line: var line } || line.Text != "Received SIGTERM, exiting")
                    .ToList();
                await ExecuteAsync(actions, limit.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or CtdbConnectionLostException or TimeoutException)
        {
            _log.Warning($"Orderly shutdown incomplete: {e.Message}");
        }

        if (_lockHelper is { } helper)
        {
            await ReleaseLockHelperAsync(helper);
        }
    }

    public void Dispose()
    {
        _metrics?.Dispose();
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
        catch (CtdbConnectionLostException)
        {
        }
    }
}
