using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>B58 <c>ctdb_ban_node()</c>.</summary>
public static class Banning
{
    /// <summary>
    /// A PNN outside the daemon's node list → <c>Bad pnn %u in ctdb_ban_node</c>, nothing sent;
    /// otherwise log and send SET_BAN_STATE {pnn, RecoveryBanPeriod} to that node.
    /// </summary>
    public static IReadOnlyList<RecdAction> BanNode(uint pnn, int nodeListCount, uint banPeriodSeconds)
    {
        if (nodeListCount < 0 || pnn >= (uint)nodeListCount)
        {
            return [new RecdAction.Log(LogLine.Error($"Bad pnn {pnn} in ctdb_ban_node"))];
        }

        return
        [
            new RecdAction.Log(LogLine.Notice($"Banning node {pnn} for {banPeriodSeconds} seconds")),
            new RecdAction.BanNode(pnn, banPeriodSeconds),
        ];
    }
}
