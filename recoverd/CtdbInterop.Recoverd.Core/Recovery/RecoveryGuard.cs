using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>
/// Bug 16082, §3.2 rules 1-7: may this node run (or go on with) a recovery, judged on flags read
/// from its own ctdbd just now?
/// </summary>
public static class RecoveryGuard
{
    /// <summary>
    /// Rule 1: the own flags from a freshly read node map, located by PNN. A failed read or a map
    /// without an own entry is a failed read.
    /// </summary>
    public static FetchResult<NodeFlags> OwnFlagsFrom(FetchResult<NodeMapView> freshMap, uint ownPnn) =>
        freshMap.TryGetValue(out var map) && map.TryGetFlags(ownPnn, out var flags) ? Fetch.Ok(flags) : Fetch.Failed<NodeFlags>();

    /// <summary>
    /// With <see cref="DecisionOptions.RecheckBeforeRecovery"/> (default): a failed read refuses
    /// (rule 2); INACTIVE flags or no RECMASTER capability refuse and require resignation (rule 3);
    /// then, as in 4.22.6, the node must still be the recorded leader. Without the re-check only
    /// the leader test is made (the 4.22.6 bug).
    /// </summary>
    public static RecoveryVerdict MayRecover(
        FetchResult<NodeFlags> freshOwnFlags,
        CtdbCapabilities ownCapabilities,
        uint leader,
        uint ownPnn,
        DecisionOptions? options = null,
        string function = "do_recovery",
        NodeFlags? cachedOwnFlags = null,
        string when = "recovery start")
    {
        options ??= DecisionOptions.Default;
        var flags = freshOwnFlags.Succeeded ? freshOwnFlags.Value : default;

        if (options.RecheckBeforeRecovery)
        {
            if (!freshOwnFlags.Succeeded)
            {
                return new RecoveryVerdict.Refused(RecoveryRefusal.NodeMapFetchFailed, flags, leader,
                    [LogLine.Error($"Unable to get nodemap from node {ownPnn}").WithFunction(function)
                        .Because(Cause(RecoveryRefusal.NodeMapFetchFailed))]);
            }

            if (flags.IsInactive() || !ownCapabilities.CanLead())
            {
                var reason = flags.IsInactive() ? RecoveryRefusal.Inactive : RecoveryRefusal.NoLeaderCapability;
                return new RecoveryVerdict.Refused(
                    reason,
                    flags,
                    leader,
                    [LogLine.Error("This node can no longer be leader, abort recovery").WithFunction(function).Because(Cause(reason))]);
            }
        }

        if (leader != ownPnn)
        {
            return new RecoveryVerdict.Refused(RecoveryRefusal.NotLeader, flags, leader,
                [LogLine.Notice($"Leader changed to {leader}, aborting recovery").Because(Cause(RecoveryRefusal.NotLeader))]);
        }

        return new RecoveryVerdict.Allowed();

        DecisionCause Cause(RecoveryRefusal reason) =>
            RefusalCauses.For(reason, ownPnn, flags, cachedOwnFlags, ownCapabilities, leader, when);
    }
}
