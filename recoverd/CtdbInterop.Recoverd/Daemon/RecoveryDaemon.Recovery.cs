using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Cluster;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.MainLoop;
using CtdbInterop.Recoverd.Core.Recovery;
using CtdbInterop.Recoverd.Core.Takeover;
using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Recoverd.Daemon;

internal sealed partial class RecoveryDaemon
{
    /// <summary>How often the own flags are re-read while the recovery helper runs (§3.2 rule 6).</summary>
    private static readonly TimeSpan HelperWatchInterval = TimeSpan.FromSeconds(1);

    private RecoveryEnvironment RecoveryEnv => new(_election.Leader, _election.IsElectionInProgress, _config.ClusterLockConfigured, _election.IsLockHeld, Now, _tunables);

    /// <summary>
    /// do_recovery (B46-B56), driven by the core's procedure: each step names what it needs
    /// next (fresh own state, capabilities, a flag push, the helper, a takeover run, the
    /// reconfigure broadcast) and this method fetches or runs exactly that.
    /// </summary>
    private async Task RunRecoveryAsync(RecoveryCause cause, CancellationToken ct)
    {
        // The cause is logged with "Starting do_recovery" and counted there (Metrics/).
        var started = Now;
        var procedure = new RecoveryProcedure(_config, _recoveryGate, _culprits, _random, _memory, _options, cause);
        var step = procedure.Start(RecoveryEnv);
        for (var guard = 0; guard < 16; guard++)
        {
            _memory = step.Memory;
            await ExecuteAsync(step.Actions, ct);
            if (step.Outcome is { } outcome)
            {
                _memory = procedure.Memory;
                if (outcome.Succeeded)
                {
                    _metrics?.Metrics.RecoveryFinished(Now - started);
                }

                if (outcome.Resign is { } reason)
                {
                    await DecideAndExecuteAsync(() => _election.Resign(reason, Now, View, activateRecoveryModeOnOthers: true), ct);
                }

                return;
            }

            // Rule 9: an election that started during the last await ends this recovery.
            if (_election.IsElectionInProgress)
            {
                _log.Notice("Election in progress - abandoning recovery");
                step = procedure.Abandon();
                continue;
            }

            step = step.Request switch
            {
                RecoveryRequest.FetchOwnState => await FetchOwnStateAsync(procedure, ct),
                RecoveryRequest.RefreshCapabilities refresh => procedure.OnCapabilitiesRefreshed(
                    await FetchCapabilitiesAsync(refresh.Nodes, ct), RecoveryEnv),
                RecoveryRequest.PushFlags push => procedure.OnFlagsPushed(await PushAllAsync(push, ct), RecoveryEnv),
                RecoveryRequest.RunRecoveryHelper helper => procedure.OnRecoveryHelperFinished(
                    await RunRecoveryHelperAsync(procedure, helper.Generation, ct), RecoveryEnv),
                RecoveryRequest.RunTakeover => procedure.OnTakeoverRunFinished(await RunTakeoverAsync(TakeoverCauses.Recovery(OwnPnn), ct), RecoveryEnv),
                RecoveryRequest.BroadcastReconfigure => procedure.OnReconfigureSent(await BroadcastReconfigureAsync(ct), RecoveryEnv),
                _ => procedure.Abandon(),
            };
        }

        _log.Error("Recovery procedure did not finish in the expected number of steps; abandoned");
        _memory = procedure.Abandon().Memory;
    }

    /// <summary>B46 and rule 5's re-check, on the own state.</summary>
    private async Task<RecoveryStep> FetchOwnStateAsync(RecoveryProcedure procedure, CancellationToken ct)
    {
        var (nodeMap, capabilities) = await ReadOwnStateAsync(ct);
        return procedure.OnOwnStateFetched(nodeMap, capabilities, RecoveryEnv);
    }

    /// <summary>
    /// The own node map and capabilities, what every re-check of a recovery reads (B46, rules 5
    /// and 6), asked for together: one round trip.
    /// </summary>
    private async Task<(FetchResult<NodeMapView> NodeMap, FetchResult<CtdbCapabilities> Capabilities)> ReadOwnStateAsync(CancellationToken ct)
    {
        var nodeMap = FetchAsync(() => _ctdbd.GetNodeMapAsync(OwnPnn, ct));
        var capabilities = FetchOwnCapabilitiesAsync(ct);
        await Task.WhenAll(nodeMap, capabilities);
        return (await nodeMap, await capabilities);
    }

    private async Task<FetchResult<CtdbCapabilities>> FetchOwnCapabilitiesAsync(CancellationToken ct)
    {
        var all = await FetchCapabilitiesAsync([OwnPnn], ct);
        return all.TryGetValue(out var byNode) && byNode.TryGetValue(OwnPnn, out var own)
            ? Fetch.Ok(own)
            : Fetch.Failed<CtdbCapabilities>();
    }

    private Task<IReadOnlyList<uint>> PushAllAsync(RecoveryRequest.PushFlags request, CancellationToken ct) =>
        FlagPushRound.RunAsync(request.Pushes, push => PushFlagsAsync(push, ct));

    /// <summary>
    /// B53, B59, B60 and §3.2 rule 6: run ctdb_recovery_helper while re-reading the own flags
    /// every second; leadership moving or this node becoming inactive kills the helper.
    /// </summary>
    private async Task<bool> RunRecoveryHelperAsync(RecoveryProcedure procedure, uint generation, CancellationToken ct)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _runningHelper = abort;
        try
        {
            var run = _helpers.RunRecoveryAsync(generation, abort.Token);

            while (!run.IsCompleted)
            {
                await WaitForHelperAsync(run, HelperWatchInterval, ct);
                if (run.IsCompleted)
                {
                    break;
                }

                var (nodeMap, capabilities) = await ReadOwnStateAsync(ct);
                var watch = procedure.CheckWhileHelperRuns(RecoveryGuard.OwnFlagsFrom(nodeMap, OwnPnn), capabilities, _election.Leader);
                Write(watch.Logs);
                if (watch.Abort)
                {
                    // Cancel, not CancelAsync: the kill runs on the daemon's thread (CancelAsync would hop to the thread pool).
                    abort.Cancel();
                }
            }

            return await HelperSucceededAsync(run, HelperName.Recovery, "leadership moved or this node can no longer lead", ct);
        }
        finally
        {
            _runningHelper = null;
        }
    }

    /// <summary>
    /// Until the helper finishes or <paramref name="interval"/> passes; throws
    /// <see cref="OperationCanceledException"/> once <paramref name="ct"/> fires (the watch loops
    /// would otherwise spin without ever yielding: a cancelled wait returns at once, and the
    /// helper's exit is delivered through the very thread the loop keeps busy). Resumes on the
    /// daemon's own context: Task.WhenAny over Task.Delay would complete on the thread pool.
    /// </summary>
    private async Task WaitForHelperAsync(Task run, TimeSpan interval, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = _time.CreateTimer(static s => ((TaskCompletionSource)s!).TrySetResult(), done, interval, Timeout.InfiniteTimeSpan);
        using var registration = ct.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), done);
        _ = run.ContinueWith(static (_, s) => ((TaskCompletionSource)s!).TrySetResult(), done, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await done.Task;
        ct.ThrowIfCancellationRequested();
    }

    private async Task<bool> BroadcastReconfigureAsync(CancellationToken ct)
    {
        try
        {
            await _ctdbd.SendAsync(CtdbConstants.BroadcastConnected, Bindings.Wire.Messages.Reconfigure(), ct);
            return true;
        }
        catch (Exception e) when (e is ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            _log.Error("Failed to send reconfigure message");
            return false;
        }
    }

    /// <summary>B39, B66: answer queued takeover-run requests with one run.</summary>
    private async Task ProcessTakeoverRequestsAsync(DecisionCause? cause, CancellationToken ct)
    {
        var detached = _takeoverRequests.Detach();
        var succeeded = await RunTakeoverAsync(cause, ct);
        await ExecuteAsync(PendingTakeoverRequests.Replies(detached, succeeded, OwnPnn), ct);
    }

    /// <summary>B63, B64: one takeover run through ctdb_takeover_helper.</summary>
    private async Task<bool> RunTakeoverAsync(DecisionCause? cause, CancellationToken ct)
    {
        var begin = TakeoverRun.Begin(_takeoverGate, _rebalance, _memory.NodeMap, OwnPnn, cause);
        await ExecuteAsync(begin.Actions, ct);
        if (begin.Running is not { } running)
        {
            _metrics?.Metrics.TakeoverRunFinished("refused", null);
            _memory = _memory with { NeedTakeoverRun = begin.NeedTakeoverRun };
            return begin.Succeeded ?? false;
        }

        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _runningHelper = abort;
        var started = Now;
        bool ok;
        try
        {
            var run = _helpers.RunTakeoverAsync(running.RebalanceArgument, abort.Token);
            // B60: a leadership change aborts the run (checked as the helper runs, not only at its end).
            while (!run.IsCompleted)
            {
                await WaitForHelperAsync(run, HelperWatchInterval / 4, ct);
                if (!run.IsCompleted && !_election.IsLeader)
                {
                    _log.Error($"Leader changed to {_election.Leader}, aborting takeover");
                    abort.Cancel();
                }
            }

            ok = await HelperSucceededAsync(run, HelperName.Takeover, "leadership moved", ct);
        }
        finally
        {
            _runningHelper = null;
        }

        _metrics?.Metrics.TakeoverRunFinished(ok ? "ok" : "failed", Now - started);
        var finish = running.Finish(ok);
        _memory = _memory with { NeedTakeoverRun = finish.NeedTakeoverRun };
        await ExecuteAsync(finish.Actions, ct);
        return ok;
    }

    /// <summary>
    /// The finished helper's verdict; a failure, and an abort by this daemon (its token, not the
    /// daemon's own stop), is logged with its cause.
    /// </summary>
    private async Task<bool> HelperSucceededAsync(Task<HelperResult> run, HelperName helper, string abortedBecause, CancellationToken ct)
    {
        HelperResult result;
        try
        {
            result = await run;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Write(HelperFailureCauses.Line(helper, HelperFailureKind.Aborted, OwnPnn, why: abortedBecause));
            return false;
        }

        if (!result.Succeeded)
        {
            var kind = result == HelperResult.NotStarted ? HelperFailureKind.NotStarted : HelperFailureKind.Failed;
            Write(HelperFailureCauses.Line(helper, kind, OwnPnn, result.Value));
        }

        return result.Succeeded;
    }
}
