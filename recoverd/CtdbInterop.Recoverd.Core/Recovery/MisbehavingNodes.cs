using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>The outcome of one B20 round: ban actions and whether this node banned itself.</summary>
public sealed record BanRound(IReadOnlyList<RecdAction> Actions, bool SelfBanned)
{
    /// <summary>No node reached the threshold: the round of almost every iteration.</summary>
    public static BanRound None { get; } = new([], false);
}

/// <summary>B20/B49 <c>ban_misbehaving_nodes()</c>.</summary>
public static class MisbehavingNodes
{
    /// <summary>
    /// Ban every node that reached the threshold (<c>Node %u reached %u banning credits</c>, then
    /// B58) and reset its credits.
    /// </summary>
    public static BanRound Ban(CulpritTable culprits, int nodeMapCount, uint ownPnn, int nodeListCount, uint banPeriodSeconds)
    {
        ArgumentNullException.ThrowIfNull(culprits);
        var candidates = culprits.TakeBanCandidates(nodeMapCount);
        if (candidates.Count == 0)
        {
            return BanRound.None;
        }

        var actions = new List<RecdAction>();
        var self = false;
        foreach (var (pnn, credits) in candidates)
        {
            actions.Log(LogLine.Notice($"Node {pnn} reached {credits} banning credits"));
            actions.AddRange(Banning.BanNode(pnn, nodeListCount, banPeriodSeconds, Banning.CulpritCredits(pnn, credits, 2L * nodeMapCount)));
            self |= pnn == ownPnn;
        }

        return new BanRound(actions, self);
    }
}
