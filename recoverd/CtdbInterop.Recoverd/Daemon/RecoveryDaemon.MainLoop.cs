using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Cluster;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.MainLoop;
using CtdbInterop.Recoverd.Core.Recovery;
using CtdbInterop.Recoverd.Core.Takeover;
using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Daemon;

internal sealed partial class RecoveryDaemon
{
    /// <summary>
    /// One main_loop() iteration (B11-B39): fetch, let the core decide, execute. After every
    /// await the iteration is abandoned if an election has started meanwhile (rule 9).
    /// </summary>
    private async Task RunIterationAsync(CancellationToken ct)
    {
        // B12: the only place the recd ping is sent, so ctdbd's watchdog follows loop progress.
        // It goes out with the local reads of B16-B21 as one round (issue 7): they are pure
        // reads, judged below in the C daemon's order, and wasted only when B13 returns. The
        // later reads the last iteration took follow in the same burst (ReadAhead); a plan
        // lasts one iteration, so an iteration that stops early stops the reads ahead too.
        // An idle iteration's replies are all in before this returns (StartIteration), so
        // the awaits below complete at once.
        var (localRound, ahead) = _ctdbd.StartIteration(OwnPnn, _readAheadPlan, _actionsExecuted, ct);
        _readAheadPlan = null;
        var localReads = await localRound;
        if (!localReads.Pinged)
        {
            _log.Error("Failed to send recd ping");
        }

        if (_election.IsElectionInProgress)
        {
            return; // B13
        }

        // B14, B15: start the broadcast loop and arm the leader timeout if they are not running.
        _election.EnsureBroadcastLoop(Now);
        _election.EnsureLeaderTimeout(Now);
        WakeTimers();

        if (RefreshLocalState(localReads) is not { } nodeMapStage)
        {
            return;
        }

        await ExecuteAsync(nodeMapStage.Actions, ct);
        if (!nodeMapStage.Proceed || _election.IsElectionInProgress)
        {
            return;
        }

        // Issue 7: a leader the map shows disconnected is lost now, not at the leader timeout.
        if (_memory.NodeMap is { } ownMap)
        {
            await ExecuteAsync(_election.OnOwnNodeMap(ownMap, View), ct);
            if (_election.IsElectionInProgress)
            {
                return;
            }
        }

        // B20: ban nodes that collected too many credits.
        var bans = MisbehavingNodes.Ban(_culprits, _memory.NodeMap?.Count ?? 0, OwnPnn, _memory.NodeListCount, _tunables.RecoveryBanPeriod);
        await ExecuteAsync(bans.Actions, ct);
        if (bans.SelfBanned)
        {
            _log.Notice("This node was banned, restart main_loop");
            return;
        }

        // B21-B23: local recovery mode (read with B16-B19; again if bans were just executed)
        // and the inactive-node duties.
        var recoveryMode = bans.Actions.Count == 0
            ? localReads.RecoveryMode
            : await FetchAsync(() => _ctdbd.GetRecoveryModeAsync(CtdbConstants.CurrentNode, ct));
        if (_election.IsElectionInProgress)
        {
            return;
        }

        var local = LocalChecks.Decide(new LocalSnapshot(recoveryMode, WallNow, _election.IsLeader), _memory, _options);
        _memory = local.Memory;
        Write(local.Logs);
        switch (local)
        {
            case LocalVerdict.EndIteration:
                return;
            case LocalVerdict.Inactive inactive:
                await HandleInactiveAsync(inactive, ct);
                return;
        }

        var active = (LocalVerdict.Active)local;

        // B24: every active node's capabilities, every iteration.
        var capabilityNodes = CapabilitiesRefresh.Targets(_memory);
        // Reads answered ahead are taken without an await (issue 7, idle CPU); else as ever.
        var capabilities = ahead?.CapabilitiesNow(capabilityNodes, _actionsExecuted) is { } answered
            ? Fetch.Ok(answered)
            : await ReadCapabilitiesAsync(ahead, capabilityNodes, ct);
        var nextPlan = new ReadAheadPlan(capabilityNodes, IpState: false, IncludeKnownIps: !_settings.TestMode);
        _readAheadPlan = nextPlan;
        var refreshed = CapabilitiesRefresh.Apply(_memory, OwnPnn, capabilities);
        _memory = refreshed.Memory;
        await ExecuteAsync(refreshed.Actions, ct);
        if (!refreshed.Proceed || _election.IsElectionInProgress)
        {
            return;
        }

        // B25, B40-B45: local IP checks on active nodes in recovery mode NORMAL.
        if (active.RunIpChecks)
        {
            var start = LocalIpVerification.Begin(_election.IsLeader, _config.FailoverDisabled, _takeoverGate.IsDisabled, _takeoverRequests.HasPending || _rebalance.Current.Count > 0);
            await ExecuteAsync(start.Actions, ct);
            if (start.CheckIps)
            {
                // B44 is skipped in test mode, as ctdbd's own address checks are.
                var includeKnown = !_settings.TestMode;
                var ipReads = ahead?.IpStateNow(includeKnown, _actionsExecuted) ?? await ReadIpStateAsync(ahead, includeKnown, ct);
                await ExecuteAsync(CheckLocalIps(ipReads), ct);
                _readAheadPlan = nextPlan with { IpState = true };
            }
        }

        if (!_election.IsLeader || _election.IsElectionInProgress)
        {
            return; // B26
        }

        await RunLeaderChecksAsync(ahead, ct);
    }

    /// <summary>
    /// B16-B19: debug level, tunables, run state, node map and own flags. The four reads (and
    /// B21's recovery mode) went out as one round and are judged here in the C daemon's order:
    /// one wait for ctdbd instead of five round trips (issue 7). They are pure reads, so only
    /// the time they are taken moves, by microseconds. Null when a read failed (logged); else
    /// the node map's stage, whose actions the caller executes.
    /// </summary>
    private StageResult? RefreshLocalState(LocalStateReads reads)
    {
        if (!reads.DebugLevel.TryGetValue(out var debugLevel))
        {
            _log.Error("Failed to read debuglevel from parent");
            return null;
        }

        _log.Level = (CtdbLogLevel)Math.Clamp(debugLevel, 0, 10);

        if (!reads.Tunables.TryGetValue(out var fresh))
        {
            _log.Error("Failed to get tunables - retrying");
            return null;
        }

        _tunables = fresh;
        _ctdbd.ControlTimeout = TimeSpan.FromSeconds(Math.Max(1, fresh.RecoverTimeout));

        if (!reads.Runstate.Succeeded)
        {
            _log.Error("Failed to get runstate - retrying");
            return null;
        }

        var stage = NodeMapRefresh.Apply(_memory, OwnPnn, reads.NodeMap);
        _memory = stage.Memory;
        return stage;
    }

    /// <summary>B22: an inactive node keeps its databases frozen, and a leader that became inactive resigns.</summary>
    private async Task HandleInactiveAsync(LocalVerdict.Inactive inactive, CancellationToken ct)
    {
        if (inactive.Resign is { } reason)
        {
            await DecideAndExecuteAsync(() => _election.Resign(reason, Now, View, inactive.ActivateOthersOnResign), ct);
        }

        if (inactive.ActivateRecoveryMode &&
            !await TryAsync(() => _ctdbd.SetRecoveryModeAsync([OwnPnn], CtdbRecoveryMode.Active, ct)))
        {
            Write(LocalVerdict.Inactive.ActivationFailed);
            return;
        }

        if (inactive.Freeze)
        {
            if (!await TryAsync(async () => { await _ctdbd.FreezeAsync(ct); return true; }))
            {
                Write(LocalVerdict.Inactive.FreezeFailed);
                return;
            }

            _memory = _memory with { FrozenWhileInactive = true };
        }
    }

    /// <summary>B27-B39 on the leader.</summary>
    private async Task RunLeaderChecksAsync(ReadAhead? ahead, CancellationToken ct)
    {
        // All reads as one round (issue 7): one wait instead of four; they are pure reads, and
        // on an idle leader they went out ahead with the local round.
        var targets = LeaderReadTargetsOf(_memory.NodeMap!);
        var reads = ahead?.LeaderStateNow(targets, _actionsExecuted) ?? await ReadLeaderStateAsync(ahead, targets, ct);
        if (_readAheadPlan is { } plan && !ReferenceEquals(plan.LeaderReads, targets))
        {
            _readAheadPlan = plan with { LeaderReads = targets };
        }

        if (!_election.IsLeader || _election.IsElectionInProgress)
        {
            return;
        }

        var snapshot = new LeaderSnapshot
        {
            OwnPnn = OwnPnn,
            RemoteNodeMaps = reads.RemoteNodeMaps,
            LocalVnnMap = reads.LocalVnnMap,
            RecoveryModes = reads.RecoveryModes,
            ClusterLockConfigured = _config.ClusterLockConfigured,
            ClusterLockHeld = _election.IsLockHeld,
            RecoveriesDisabled = _recoveryGate.IsDisabled,
            RemoteVnnMaps = reads.RemoteVnnMaps,
            TakeoverRunsDisabled = _takeoverGate.IsDisabled,
            TakeoverRequestsPending = _takeoverRequests.HasPending,
        };
        var verdict = LeaderChecks.Decide(snapshot, _memory);
        _memory = verdict.Memory;
        if (verdict.FlagActions.Count > 0 && !await PushReconciledFlagsAsync(verdict.FlagActions, ct))
        {
            Write(LeaderVerdict.PushFailureLogs);
            return;
        }

        var outcome = verdict.Outcome;
        Write(outcome.Logs);
        AddCulprits(outcome.Culprits);
        switch (outcome)
        {
            case LeaderOutcome.ReloadNodes:
                await ExecuteAsync([new RecdAction.ReloadNodeList()], ct);
                break;
            case LeaderOutcome.Recover recover:
                await RunRecoveryAsync(recover.Cause, ct);
                break;
            case LeaderOutcome.TakeoverRun takeover:
                await ProcessTakeoverRequestsAsync(takeover.Cause, ct);
                break;
        }
    }

    /// <summary>
    /// Whom B27-B33 read, worked out again only for another node map: an idle leader's map is
    /// the same instance every second (a repeated reply is not parsed again), so its targets
    /// are too (issue 7, idle allocations).
    /// </summary>
    private LeaderReadTargets LeaderReadTargetsOf(NodeMapView map)
    {
        if (_leaderReadTargets is { } known && ReferenceEquals(known.Map, map))
        {
            return known.Targets;
        }

        var activeNodes = map.ActivePnns();
        var targets = new LeaderReadTargets(
            OwnPnn,
            map.ConnectedPnns().Where(p => p != OwnPnn).ToList(),
            activeNodes,
            activeNodes.Where(p => p != OwnPnn).ToList());
        _leaderReadTargets = (map, targets);
        return targets;
    }

    /// <summary>B28: executes the reconciliation's actions; false when a flag push failed anywhere.</summary>
    private async Task<bool> PushReconciledFlagsAsync(IReadOnlyList<RecdAction> actions, CancellationToken ct)
    {
        foreach (var action in actions)
        {
            if (action is RecdAction.PushNodeFlags push)
            {
                if ((await PushFlagsAsync(push, ct)).Count > 0)
                {
                    return false;
                }
            }
            else
            {
                await ExecuteAsync([action], ct);
            }
        }

        return true;
    }

    private void AddCulprits(IEnumerable<uint> culprits)
    {
        foreach (var culprit in culprits)
        {
            Write(_culprits.Add(culprit, 1, _memory.NodeMap, _memory.OwnFlags, Now, _tunables.RecoveryGracePeriod));
        }
    }

    // The reads an iteration takes when they were not answered ahead (ReadAhead's …Now): the
    // ones still in flight when they stand, else read now. Each of the three the same way.

    /// <summary>B24's read.</summary>
    private async Task<FetchResult<IReadOnlyDictionary<uint, CtdbCapabilities>>> ReadCapabilitiesAsync(ReadAhead? ahead, IReadOnlyList<uint> nodes, CancellationToken ct) =>
        (ahead is null ? null : await ahead.CapabilitiesForAsync(nodes, () => _actionsExecuted)) is { } readAhead
            ? Fetch.Ok(readAhead)
            : await FetchCapabilitiesAsync(nodes, ct);

    /// <summary>B42-B44's reads.</summary>
    private async Task<IpStateReads> ReadIpStateAsync(ReadAhead? ahead, bool includeKnown, CancellationToken ct) =>
        (ahead is null ? null : await ahead.IpStateAsync(includeKnown, () => _actionsExecuted))
        ?? await _ctdbd.ReadIpStateAsync(includeKnown, ct);

    /// <summary>The leader's reads of B27-B33.</summary>
    private async Task<LeaderStateReads> ReadLeaderStateAsync(ReadAhead? ahead, LeaderReadTargets targets, CancellationToken ct) =>
        (ahead is null ? null : await ahead.LeaderStateForAsync(targets, () => _actionsExecuted))
        ?? await _ctdbd.ReadLeaderStateAsync(targets, ct);

    /// <summary>B42-B45 on the IP state read: what to log and whether to ask for a takeover run.</summary>
    private IReadOnlyList<RecdAction> CheckLocalIps(IpStateReads reads)
    {
        var interfaceCheck = _interfaces.Observe(reads.Interfaces, OwnPnn);
        FetchResult<IReadOnlyList<KnownIpView>>? known = null;
        if (reads.Known is { } knownRead)
        {
            var local = LocalAddresses.Current();
            known = Map<PublicIpList, IReadOnlyList<KnownIpView>>(knownRead, list => list.Ips
                .Select(ip => new KnownIpView(ip.Address.Address.ToString(), ip.Pnn, local.Contains(ip.Address.Address)))
                .ToList());
        }

        return LocalIpVerification.Evaluate(interfaceCheck, reads.Available, known, _memory.OwnFlags, OwnPnn);
    }

    private async Task<FetchResult<IReadOnlyDictionary<uint, CtdbCapabilities>>> FetchCapabilitiesAsync(IReadOnlyList<uint> nodes, CancellationToken ct)
    {
        var result = await FetchAsync(() => _ctdbd.GetCapabilitiesAsync(nodes, ct));
        return result.TryGetValue(out var answered) && answered is not null
            ? Fetch.Ok(answered)
            : Fetch.Failed<IReadOnlyDictionary<uint, CtdbCapabilities>>();
    }

    /// <summary>A read as the core sees it: a value, or "failed" (timeouts and refusals alike).</summary>
    private static Task<FetchResult<T>> FetchAsync<T>(Func<Task<T>> read) => Reads.FetchAsync(read);

    private static FetchResult<TOut> Map<TIn, TOut>(FetchResult<TIn> read, Func<TIn, TOut> convert) =>
        read.TryGetValue(out var value) ? Fetch.Ok(convert(value)) : Fetch.Failed<TOut>();
}
