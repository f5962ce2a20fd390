using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Cluster;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Gates;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.Messages;
using CtdbInterop.Recoverd.Core.Takeover;

namespace CtdbInterop.Recoverd.Daemon;

internal sealed partial class RecoveryDaemon
{
    /// <summary>
    /// B08: the srvids the daemon registers, in the C daemon's order, then ours:
    /// <c>RELEASE_IP</c>, which the C daemon leaves to smbd.
    /// </summary>
    private static readonly ulong[] RegisteredSrvids =
    [
        CtdbSrvid.MemDump,
        CtdbSrvid.Banning,
        CtdbSrvid.Election,
        CtdbSrvid.SetNodeFlags,
        CtdbSrvid.PushNodeFlags,
        CtdbSrvid.ReloadNodes,
        CtdbSrvid.TakeoverRun,
        CtdbSrvid.DisableIpCheck,
        CtdbSrvid.RebalanceNode,
        CtdbSrvid.DisableTakeoverRuns,
        CtdbSrvid.DisableRecoveries,
        CtdbSrvid.Leader,
        CtdbSrvid.ReleaseIp,
    ];

    /// <summary>
    /// One message, handed over by the gateway, which holds the next until the task returned
    /// completes. The leader's broadcast, which every node gets every second, is decided and
    /// done without an async step when the action lock is free.
    /// </summary>
    private Task OnMessage(MessagePacket message)
    {
        Task handled;
        try
        {
            handled = HandleMessage(message, _stopping);
        }
        catch (CtdbProtocolException e)
        {
            LogMalformed(message, e);
            return Task.CompletedTask;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }
        catch (Exception e)
        {
            // Never into the poller's callback that handed the message over.
            LogFailed(message, e);
            return Task.CompletedTask;
        }

        return handled.IsCompletedSuccessfully ? Task.CompletedTask : _messageInFlight = ObserveMessageAsync(handled, message);
    }

    private async Task ObserveMessageAsync(Task handled, MessagePacket message)
    {
        try
        {
            await handled;
        }
        catch (CtdbProtocolException e)
        {
            LogMalformed(message, e);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (CtdbConnectionLostException)
        {
            // The main loop reports it and stops the daemon.
        }
        catch (Exception e)
        {
            LogFailed(message, e);
        }
    }

    // Not expected: said once, and the next message is handled as usual.
    private void LogFailed(MessagePacket message, Exception e) =>
        _log.Error($"Failed to handle message for srvid 0x{message.Srvid:x16}: {e.GetType().Name}: {e.Message}");

    // A malformed payload is dropped with a clear line; the daemon carries on.
    private void LogMalformed(MessagePacket message, CtdbProtocolException e) =>
        _log.Error($"Dropped malformed message for srvid 0x{message.Srvid:x16}: {e.Message}");

    private Task HandleMessage(MessagePacket message, CancellationToken ct)
    {
        switch (message.Srvid)
        {
            case CtdbSrvid.Leader:
                return DecideAndExecuteAsync(() => _election.OnLeaderBroadcast(Messages.ParseLeader(message), Now, View), ct);
            case CtdbSrvid.Election:
                return DecideAndExecuteAsync(() => _election.OnElectionMessage(CtdbdGateway.FromWire(Messages.ParseElection(message)), Now, View), ct);
            case CtdbSrvid.TakeoverRun:
                if (message.Data.Length != PendingTakeoverRequests.PayloadSize)
                {
                    Write(PendingTakeoverRequests.WrongSize());
                    break;
                }

                var replyTo = Messages.ParseSrvidMessage(message);
                _takeoverRequests.Enqueue(new SrvidRequest(replyTo.Pnn, replyTo.Srvid));
                // Only requests that wait for an answer (an administrator's command) cut the loop's
                // pause short: the daemons' own srvid-0 triggers (B45) repeat every iteration and
                // would otherwise wake each other in a tight loop.
                if (replyTo.Srvid != 0)
                {
                    WakeMainLoop();
                }

                break;
            case CtdbSrvid.ReleaseIp:
                // A ban tells no client anything; the addresses ctdbd drops as it makes this
                // node inactive are the only early sign, so look at the node's state now.
                Write(SimpleMessageHandling.AddressReleased(Messages.ParseReleasedAddress(message)));
                WakeMainLoop();
                break;
            case CtdbSrvid.DisableTakeoverRuns:
            case CtdbSrvid.DisableRecoveries:
                var gate = message.Srvid == CtdbSrvid.DisableTakeoverRuns ? _takeoverGate : _recoveryGate;
                if (message.Data.Length != DisableRequestHandling.PayloadSize)
                {
                    return ExecuteAsync(DisableRequestHandling.WrongSize(message.Data.Length), ct);
                }

                var disable = Messages.ParseDisableMessage(message);
                return ExecuteAsync(DisableRequestHandling.Handle(new DisableRequest(disable.Pnn, disable.Srvid, disable.Timeout), gate, OwnPnn, Now), ct);
            case CtdbSrvid.DisableIpCheck:
                return ExecuteAsync(DisableRequestHandling.HandleLegacyIpCheck(Messages.ParseDisableIpCheck(message), _takeoverGate, Now), ct);
            case CtdbSrvid.RebalanceNode:
                if (message.Data.Length != 4)
                {
                    Write(RebalanceTargets.WrongSize(message.Data.Length));
                    break;
                }

                Write(_rebalance.Add(Messages.ParsePnn(message), _election.IsLeader));
                break;
            case CtdbSrvid.Banning:
                // B72: the takeover helper blames a node; only the leader keeps score.
                if (_election.IsLeader)
                {
                    var culprit = Messages.ParsePnn(message);
                    var credits = (uint)(_memory.NodeMap?.Count ?? 1);
                    Write(_culprits.Add(culprit, credits, _memory.NodeMap, _memory.OwnFlags, Now, _tunables.RecoveryGracePeriod));
                }

                break;
            case CtdbSrvid.PushNodeFlags:
                return HandlePushFlagsAsync(Messages.ParseNodeFlagChange(message), ct);
            case CtdbSrvid.SetNodeFlags:
                _log.Warning("SRVID CTDB_SRVID_SET_NODE_FLAGS (0xf400000000000000) is obsolete");
                break;
            case CtdbSrvid.ReloadNodes:
                _log.Error("Reload nodes file from recovery daemon");
                return ReloadNodeListLockedAsync(ct);
            case CtdbSrvid.MemDump:
                return HandleMemDumpAsync(message, ct);
            default:
                _log.Info($"Ignored message for unregistered srvid 0x{message.Srvid:x16}");
                break;
        }

        return Task.CompletedTask;
    }

    private async Task ReloadNodeListLockedAsync(CancellationToken ct)
    {
        await _actionLock.WaitAsync(ct);
        try
        {
            await ReloadNodeListAsync(ct);
        }
        finally
        {
            _actionLock.Release();
        }
    }

    /// <summary>B94: forward the local node's own flag change to every node the leader's map shows connected.</summary>
    private async Task HandlePushFlagsAsync(NodeFlagChange change, CancellationToken ct)
    {
        var leader = _election.Leader;
        var leaderMap = Fetch.Failed<NodeMapView>();
        if (leader != CtdbConstants.UnknownPnn)
        {
            try
            {
                leaderMap = Fetch.Ok(await _ctdbd.GetNodeMapAsync(leader, ct));
            }
            catch (Exception e) when (e is CtdbControlException or CtdbControlTimeoutException or CtdbProtocolException)
            {
                leaderMap = Fetch.Failed<NodeMapView>();
            }
        }

        await ExecuteAsync(Core.Takeover.PushNodeFlagsHandling.Decide(change.Pnn, change.NewFlags, change.OldFlags, leader, leaderMap), ct);
    }

    /// <summary>
    /// B97: a report in talloc's shape (Samba's debug.003 test reads it), describing the
    /// managed heap and the daemon's own state.
    /// </summary>
    private async Task HandleMemDumpAsync(MessagePacket message, CancellationToken ct)
    {
        if (message.Data.Length != 16)
        {
            _log.Error("Wrong size of return address.");
            return;
        }

        var replyTo = Messages.ParseSrvidMessage(message);
        var report = MemoryReport.Build(new Dictionary<string, long>
        {
            ["managed heap"] = GC.GetTotalMemory(false),
            ["node map"] = (_memory.NodeMap?.Count ?? 0) * 8,
            ["culprit records"] = _culprits.Count * 24,
            ["takeover requests"] = _takeoverRequests.Count * 16,
            ["rebalance targets"] = _rebalance.Current.Count * 4,
            ["tunables"] = 248,
            ["election state"] = 128,
            ["client connection"] = 4096,
        });
        Write(LogLine.Error("recovery daemon memory dump").WithFunction("mem_dump_handler"));
        await SendOrLogAsync(() => _ctdbd.SendAsync(replyTo.Pnn, Messages.TextReply(replyTo.Srvid, report), ct), null);
    }
}
