using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>
/// B27-B39, the checks only the leader runs, in the C daemon's order. Pure: reads the snapshot
/// and the memory, returns a <see cref="LeaderVerdict"/>.
/// </summary>
public static partial class LeaderChecks
{
    private static readonly LeaderOutcome.AllGood AllGood = new();

    public static LeaderVerdict Decide(LeaderSnapshot snapshot, LoopMemory memory)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(memory);
        var local = memory.NodeMap ?? throw new InvalidOperationException("The leader checks need a node map (B19 runs first).");
        var own = snapshot.OwnPnn;

        // B27: every connected node except self must have answered.
        var remote = new Dictionary<uint, NodeMapView>();
        List<uint>? failed = null;
        foreach (var node in local.AsSpan())
        {
            if (!node.IsConnected || node.Pnn == own)
            {
                continue;
            }

            if (snapshot.RemoteNodeMaps.TryGetValue(node.Pnn, out var read) && read.TryGetValue(out var map))
            {
                remote[node.Pnn] = map;
            }
            else
            {
                (failed ??= []).Add(node.Pnn);
            }
        }

        if (failed is not null)
        {
            var logs = failed
                .Select(p => LogLine.Error($"Failed to retrieve nodemap from node {p}").WithFunction("async_getnodemap_error"))
                .Append(LogLine.Error("Failed to read remote nodemaps").WithFunction("main_loop"))
                .ToArray();
            return new LeaderVerdict(memory, [], new LeaderOutcome.Halt(LeaderHaltReason.RemoteNodeMapsFailed, logs, failed));
        }

        // B28
        var (reconciled, flagActions) = FlagReconciliation.Reconcile(local, remote, own);
        var ownFlags = reconciled.TryGetFlags(own, out var f) ? f : memory.OwnFlags;
        var next = ReferenceEquals(reconciled, local) && ownFlags == memory.OwnFlags
            ? memory
            : memory with { NodeMap = reconciled, OwnFlags = ownFlags };
        return new LeaderVerdict(next, flagActions, AfterFlags(snapshot, next, reconciled, remote));
    }

    private static LeaderOutcome AfterFlags(LeaderSnapshot snapshot, LoopMemory memory, NodeMapView local, Dictionary<uint, NodeMapView> remote)
    {
        var own = snapshot.OwnPnn;

        // B29
        if (memory.NodeListCount != local.Count)
        {
            return new LeaderOutcome.ReloadNodes(
            [
                LogLine.Error($"ctdb->num_nodes ({memory.NodeListCount}) != nodemap->num ({local.Count}) reloading nodes file").AtLocation("main_loop"),
            ]);
        }

        // B30
        if (!snapshot.LocalVnnMap.TryGetValue(out var vnnMap))
        {
            return Halt(LeaderHaltReason.LocalVnnMapFailed, LogLine.Error($"Unable to get vnnmap from node {own}").WithFunction("main_loop"));
        }

        // B31
        if (memory.NeedRecovery)
        {
            return new LeaderOutcome.Recover(new RecoveryCause(RecoveryCheck.UnfinishedRecovery, "B31"), [], []);
        }

        // B32
        if (CheckRecoveryModes(snapshot, local) is { } recoveryModes)
        {
            return recoveryModes;
        }

        // B33
        if (snapshot.ClusterLockConfigured && !snapshot.ClusterLockHeld)
        {
            return new LeaderOutcome.Recover(
                new RecoveryCause(RecoveryCheck.ClusterLockNotHeld, "B33", Node: own, Culprit: own),
                [LogLine.Error("Failed cluster lock sanity check")],
                [own]);
        }

        // B34 skips the consistency checks while recoveries are disabled.
        if (!snapshot.RecoveriesDisabled)
        {
            var consistency = CheckNodeMaps(own, local, remote)
                ?? CheckLmasters(own, local, vnnMap, memory.NodeCapabilities)
                ?? CheckRemoteVnnMaps(snapshot, local, vnnMap);
            if (consistency is not null)
            {
                return consistency;
            }
        }

        // B39
        if (!snapshot.TakeoverRunsDisabled && (snapshot.TakeoverRequestsPending || memory.NeedTakeoverRun))
        {
            return new LeaderOutcome.TakeoverRun(snapshot.TakeoverRequestsPending
                ? Takeover.TakeoverCauses.Requested(snapshot.OwnPnn)
                : Takeover.TakeoverCauses.PreviousRunFailed(snapshot.OwnPnn));
        }

        return AllGood;
    }

    /// <summary>B32 <c>verify_recmode()</c>: any active node not NORMAL → recover; else any failed read → halt.</summary>
    private static LeaderOutcome? CheckRecoveryModes(LeaderSnapshot snapshot, NodeMapView local)
    {
        List<LogLine>? logs = null;
        uint? first = null;
        var readFailed = false;
        foreach (var entry in local.AsSpan())
        {
            if (!entry.IsActive)
            {
                continue;
            }

            var pnn = entry.Pnn;
            if (!snapshot.RecoveryModes.TryGetValue(pnn, out var read) || !read.TryGetValue(out var mode))
            {
                readFailed = true;
                continue;
            }

            if (mode != CtdbRecoveryMode.Normal)
            {
                (logs ??= []).Add(LogLine.Notice($"Node:{pnn} was in recovery mode. Start recovery process"));
                first ??= pnn;
            }
        }

        if (first is { } node)
        {
            return new LeaderOutcome.Recover(
                new RecoveryCause(RecoveryCheck.NodeInRecoveryMode, "B32", node, (long)CtdbRecoveryMode.Active, (long)CtdbRecoveryMode.Normal),
                logs!, // set with first
                []);
        }

        return readFailed ? new LeaderOutcome.Halt(LeaderHaltReason.RecoveryModeReadFailed, [], []) : null;
    }

    private static LeaderOutcome.Halt Halt(LeaderHaltReason reason, LogLine log) => new(reason, [log], []);

    private static LeaderOutcome.Recover Recover(RecoveryCause cause, LogLine log) =>
        new(cause, [log], cause.Culprit is { } culprit ? [culprit] : []);
}
