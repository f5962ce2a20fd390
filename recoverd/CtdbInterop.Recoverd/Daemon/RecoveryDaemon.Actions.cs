using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Cluster;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Daemon;

internal sealed partial class RecoveryDaemon
{
    /// <summary>
    /// Executes one list of actions in order. Lists never interleave: a list that arrives
    /// while another runs waits for it, so an election's broadcasts keep their order
    /// against the main loop's. Follow-up actions a result produces run inside the same list.
    /// An empty list is nothing to execute and costs nothing: an idle iteration has several
    /// (issue 7, idle CPU: no async method runs for them).
    /// </summary>
    private Task ExecuteAsync(IReadOnlyList<RecdAction> actions, CancellationToken ct) =>
        actions.Count == 0 ? Task.CompletedTask : ExecuteListAsync(actions, ct);

    private async Task ExecuteListAsync(IReadOnlyList<RecdAction> actions, CancellationToken ct)
    {
        await _actionLock.WaitAsync(ct);
        await ExecuteHeldAsync(actions, ct);
    }

    /// <summary>
    /// As <see cref="ExecuteAsync"/>, but the election decides only once its list may run. A
    /// decision taken before waiting for a running list acts on state that list changes: a
    /// leader broadcast decided while an election's recovery-mode round was running went out
    /// after the election's UNKNOWN broadcast, so every node (this one included) took this
    /// node for the leader again while it was still racing for the cluster lock.
    /// With no list running the decision is taken at once, and a decision with nothing to
    /// execute (a follower taking the leader's broadcast every second) ends there, with no
    /// async method run (issue 7, idle CPU).
    /// </summary>
    private Task DecideAndExecuteAsync(Func<IReadOnlyList<RecdAction>> decide, CancellationToken ct)
    {
        if (ct.IsCancellationRequested || !_actionLock.TryEnter())
        {
            return DecideWhenFreeAsync(decide, ct);
        }

        var actions = DecideHeld(decide);
        if (actions.Count == 0)
        {
            ReleaseActionLock();
            return Task.CompletedTask;
        }

        return ExecuteHeldAsync(actions, ct);
    }

    private async Task DecideWhenFreeAsync(Func<IReadOnlyList<RecdAction>> decide, CancellationToken ct)
    {
        await _actionLock.WaitAsync(ct);
        await ExecuteHeldAsync(DecideHeld(decide), ct);
    }

    /// <summary>Runs <paramref name="decide"/> with the action lock held; a decision that throws releases it.</summary>
    private IReadOnlyList<RecdAction> DecideHeld(Func<IReadOnlyList<RecdAction>> decide)
    {
        try
        {
            return decide();
        }
        catch
        {
            ReleaseActionLock();
            throw;
        }
    }

    /// <summary>Executes <paramref name="actions"/> with the action lock held, then releases it.</summary>
    private async Task ExecuteHeldAsync(IReadOnlyList<RecdAction> actions, CancellationToken ct)
    {
        try
        {
            await ExecuteInlineAsync(actions, ct);
        }
        finally
        {
            ReleaseActionLock();
        }
    }

    /// <summary>Ends a list: the next one may run, and what the list changed is taken up.</summary>
    private void ReleaseActionLock()
    {
        _actionLock.Release();
        WakeTimers();
        WakeMainLoopOnNewLeadership();
    }

    private async Task ExecuteInlineAsync(IReadOnlyList<RecdAction> actions, CancellationToken ct)
    {
        foreach (var action in actions)
        {
            await ExecuteOneAsync(action, ct);
        }
    }

    private async Task ExecuteOneAsync(RecdAction action, CancellationToken ct)
    {
        if (ReadAhead.Stales(action))
        {
            // Reads sent ahead before it no longer stand for reads taken after it.
            _actionsExecuted++;
        }

        switch (action)
        {
            case RecdAction.Log log:
                Write(log.Line);
                break;
            case RecdAction.BroadcastLeader leader:
                await SendOrLogAsync(() => _ctdbd.BroadcastLeaderAsync(leader.Pnn, ct), leader.OnFailure);
                break;
            case RecdAction.CancelQueuedLeaderBroadcasts:
                // Broadcasts are written to the socket as they are made; none waits in a queue.
                break;
            case RecdAction.BroadcastElection election:
                await SendOrLogAsync(() => _ctdbd.BroadcastElectionAsync(election.Data, ct), election.OnFailure);
                break;
            case RecdAction.SetRecoveryModeActive activate:
                var ok = await TryAsync(() => _ctdbd.SetRecoveryModeAsync(activate.Nodes, CtdbRecoveryMode.Active, ct));
                if (activate.ResultTicket is { } ticket)
                {
                    await ExecuteInlineAsync(_election.OnRecoveryModeActivated(ticket, ok, Now, View), ct);
                }

                break;
            case RecdAction.TakeClusterLock take:
                await ExecuteInlineAsync(StartLockHelper(take.AttemptId, take.LockString), ct);
                break;
            case RecdAction.TerminateLockHelper terminate:
                if (_lockHelper is { } helper && _lockHelperAttempt == terminate.AttemptId)
                {
                    var release = ReleaseLockHelperAsync(helper);
                    if (terminate.WaitForExit)
                    {
                        await release;
                    }
                }

                break;
            case RecdAction.ReportLockLatency latency:
                if (!await TryAsync(async () => { await _ctdbd.ReportLockLatencyAsync(latency.Latency, ct); return true; }))
                {
                    _log.Error("Failed to send recd reclock latency");
                }

                break;
            case RecdAction.BanNode ban:
                if (ban.Pnn >= _memory.NodeListCount)
                {
                    _log.Error($"Bad pnn {ban.Pnn} in ctdb_ban_node");
                    break;
                }

                if (!await TryAsync(async () => { await _ctdbd.BanAsync(ban.Pnn, ban.Seconds, ct); return true; }))
                {
                    _log.Error($"Failed to ban node {ban.Pnn}");
                }

                break;
            case RecdAction.AbortRunningHelper:
                _runningHelper?.Cancel();
                break;
            case RecdAction.DropTakeoverRequests:
                _takeoverRequests.DropAll();
                _rebalance.Clear();
                break;
            case RecdAction.PushNodeFlags push:
                var failed = await PushFlagsAsync(push, ct);
                if (failed.Count > 0 && push.OnFailure is { } onFailure)
                {
                    Write(onFailure);
                }

                break;
            case RecdAction.SendTakeoverRunRequest request:
                await SendOrLogAsync(
                    () => _ctdbd.SendAsync(CtdbConstants.BroadcastConnected, Messages.TakeoverRun(new SrvidMessage(request.OwnPnn, 0)), ct),
                    LogLine.Error("Failed to send takeover run request"));
                break;
            case RecdAction.ReplyToRequester reply:
                await SendOrLogAsync(() => _ctdbd.SendAsync(reply.Pnn, Messages.Int32Reply(reply.Srvid, reply.Value), ct), reply.FailedLog);
                break;
            case RecdAction.DisableTakeoverRunsOn disable:
                foreach (var node in disable.Nodes)
                {
                    var message = Messages.DisableTakeoverRuns(new DisableMessage(CtdbConstants.UnknownPnn, 0, disable.TimeoutSeconds));
                    await SendOrLogAsync(() => _ctdbd.SendAsync(node, message, ct), LogLine.Info($"Failed to disable takeover runs on node {node}"));
                }

                break;
            case RecdAction.ReloadNodeList:
                await ReloadNodeListAsync(ct);
                break;
            default:
                _log.Error($"Internal error: no executor for action {action.GetType().Name}");
                break;
        }
    }

    /// <summary>MODIFY_FLAGS to the targets; returns the nodes that failed.</summary>
    private async Task<IReadOnlyList<uint>> PushFlagsAsync(RecdAction.PushNodeFlags push, CancellationToken ct)
    {
        try
        {
            return await _ctdbd.ModifyFlagsAsync(push.Targets, new NodeFlagChange(push.Pnn, push.NewFlags, push.OldFlags), ct);
        }
        catch (CtdbConnectionLostException)
        {
            throw;
        }
        catch (Exception e) when (e is CtdbControlTimeoutException or CtdbProtocolException)
        {
            return push.Targets;
        }
    }

    private async Task ReloadNodeListAsync(CancellationToken ct)
    {
        try
        {
            var nodes = await _ctdbd.GetNodesFileAsync(ct);
            _memory = _memory with { NodeListCount = nodes.Count };
        }
        catch (Exception e) when (e is CtdbControlException or CtdbControlTimeoutException or CtdbProtocolException)
        {
            _log.Error($"Failed to load nodes ({e.Message})");
            throw new Hosting.FatalDaemonException(Hosting.ExitCodes.Failure, "nodes file cannot be reloaded");
        }
    }

    private async Task SendOrLogAsync(Func<Task> send, LogLine? onFailure)
    {
        try
        {
            await send();
        }
        catch (CtdbConnectionLostException)
        {
            throw;
        }
        catch (Exception e) when (e is ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            if (onFailure is not null)
            {
                Write(onFailure);
            }
        }
    }

    /// <summary>Runs a control; a failed, refused or timed-out control is false (connection loss still throws).</summary>
    private static async Task<bool> TryAsync(Func<Task<bool>> call)
    {
        try
        {
            return await call();
        }
        catch (CtdbConnectionLostException)
        {
            throw;
        }
        catch (Exception e) when (e is CtdbControlException or CtdbControlTimeoutException or CtdbProtocolException)
        {
            return false;
        }
    }

    private void Write(LogLine line)
    {
        // A decision is counted whether or not its line is logged at the current debug level.
        if (line.Cause is { } cause)
        {
            _metrics?.Metrics.Record(cause);
        }

        var level = (CtdbLogLevel)(int)line.Level;
        if (!_log.IsEnabled(level))
        {
            return;
        }

        var text = line.RenderedText;
        _log.Log(level, line.Function is { } function && line.Prefix != LogPrefixKind.None ? $"{function}: {text}" : text);
    }

    private void Write(IEnumerable<LogLine> lines)
    {
        foreach (var line in lines)
        {
            Write(line);
        }
    }
}
