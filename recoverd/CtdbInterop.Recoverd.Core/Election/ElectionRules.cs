using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>The classic election's pure rules: own data (B79) and the comparison (B80).</summary>
public static class ElectionRules
{
    /// <summary>
    /// B80 <c>ctdb_election_win()</c>: cannot lead → lose; INACTIVE sender → win; older own
    /// priority time → win, newer → lose; equal → the higher PNN wins.
    /// <c>NumConnected</c> is never compared.
    /// </summary>
    public static ElectionOutcome Compare(ElectionData own, bool ownCanLead, ElectionData other)
    {
        if (!ownCanLead)
        {
            return new ElectionOutcome(false, ElectionReason.SelfCannotLead);
        }

        if (other.NodeFlags.IsInactive())
        {
            return new ElectionOutcome(true, ElectionReason.SenderInactive);
        }

        var byTime = other.PriorityTime.CompareTo(own.PriorityTime);
        if (byTime != 0)
        {
            return byTime > 0
                ? new ElectionOutcome(true, ElectionReason.OwnPriorityOlder)
                : new ElectionOutcome(false, ElectionReason.OwnPriorityNewer);
        }

        return own.Pnn > other.Pnn
            ? new ElectionOutcome(true, ElectionReason.TieOwnPnnHigher)
            : new ElectionOutcome(false, ElectionReason.TieOwnPnnNotHigher);
    }

    /// <summary>
    /// B79 <c>ctdb_election_data()</c> from the cached view: num_connected counts map entries
    /// without DISCONNECTED (0 without a map); node_flags are the cached own flags. A node that
    /// cannot lead "tries to lose": num_connected 0 and priority time = now.
    /// (The C daemon fetches a fresh map only to count connected nodes, a field nobody compares;
    /// the cached map is used here so building the message needs no I/O.)
    /// </summary>
    public static ElectionData OwnData(uint ownPnn, NodeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!view.CanLead)
        {
            return new ElectionData(0, view.WallNow, ownPnn, view.OwnFlags);
        }

        var connected = view.NodeMap is null ? 0u : (uint)view.NodeMap.Nodes.Count(n => n.IsConnected);
        return new ElectionData(connected, view.PriorityTime, ownPnn, view.OwnFlags);
    }

    /// <summary>
    /// §3.3 step 5: the resigner's one ELECTION message, built to lose against every stock peer:
    /// num_connected 0, priority time now, own flags, plus STOPPED when they have no INACTIVE bit.
    /// </summary>
    public static ElectionData ResignationData(uint ownPnn, NodeFlags ownFlags, WallTime wallNow)
    {
        var flags = ownFlags.IsInactive() ? ownFlags : ownFlags | NodeFlags.Stopped;
        return new ElectionData(0, wallNow, ownPnn, flags);
    }
}
