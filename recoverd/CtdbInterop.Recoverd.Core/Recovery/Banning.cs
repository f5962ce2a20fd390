using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>B58 <c>ctdb_ban_node()</c>.</summary>
public static class Banning
{
    /// <summary>Why nodes are banned (label of <c>ctdb_recoverd_bans_total</c>).</summary>
    public static IReadOnlyList<string> ReasonLabels { get; } = ["culprit_credits", "cluster_lock_not_held", "cluster_lock_failed"];

    /// <summary>B20/B49: a node collected too many culprit credits.</summary>
    public static DecisionCause CulpritCredits(uint pnn, uint credits, long threshold) => new(
        DecisionKind.Ban,
        "culprit_credits",
        $"node {pnn} reached {credits} banning credits, threshold {threshold} (2 x node count); credits come from causing recoveries",
        pnn,
        credits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        $"< {threshold}");

    /// <summary>B50: the leader was about to recover without holding the cluster lock.</summary>
    public static DecisionCause ClusterLockNotHeld(uint ownPnn) => new(
        DecisionKind.Ban,
        "cluster_lock_not_held",
        $"leader {ownPnn} does not hold the cluster lock at recovery start",
        ownPnn,
        "not held",
        "held");

    /// <summary>B83: the winner of a classic election could not take the cluster lock.</summary>
    public static DecisionCause ClusterLockFailed(uint ownPnn) => new(
        DecisionKind.Ban,
        "cluster_lock_failed",
        $"node {ownPnn} won the election but could not take the cluster lock",
        ownPnn,
        "not taken",
        "taken");

    /// <summary>
    /// A PNN outside the daemon's node list → <c>Bad pnn %u in ctdb_ban_node</c>, nothing sent;
    /// otherwise log and send SET_BAN_STATE {pnn, RecoveryBanPeriod} to that node.
    /// </summary>
    public static IReadOnlyList<RecdAction> BanNode(uint pnn, int nodeListCount, uint banPeriodSeconds, DecisionCause? cause = null)
    {
        if (nodeListCount < 0 || pnn >= (uint)nodeListCount)
        {
            return [new RecdAction.Log(LogLine.Error($"Bad pnn {pnn} in ctdb_ban_node"))];
        }

        return
        [
            new RecdAction.Log(cause is null
                ? LogLine.Notice($"Banning node {pnn} for {banPeriodSeconds} seconds")
                : LogLine.Notice($"Banning node {pnn} for {banPeriodSeconds} seconds").Because(cause)),
            new RecdAction.BanNode(pnn, banPeriodSeconds),
        ];
    }
}
