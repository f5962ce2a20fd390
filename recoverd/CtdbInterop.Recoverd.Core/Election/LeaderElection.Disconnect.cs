using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>Issue 7: noticing a lost leader from the node map instead of the leader timeout.</summary>
public sealed partial class LeaderElection
{
    /// <summary>
    /// Called with every node map this node reads of itself (B19). When the map shows the
    /// known leader (another node) DISCONNECTED — ctdbd marks a peer so the moment its
    /// connection drops — the election starts now, exactly as when the leader timeout fires
    /// (B74 → B77). A leader that is merely inactive keeps broadcasting or resigns, so only
    /// DISCONNECTED counts. Nothing while an election runs (rule 8) or when the option is off.
    /// </summary>
    public IReadOnlyList<RecdAction> OnOwnNodeMap(NodeMapView map, NodeView view)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(view);
        if (!_options.ElectOnLeaderDisconnect || IsLeader || Leader == CtdbConstants.UnknownPnn || IsElectionInProgress
            || !map.TryGetFlags(Leader, out var flags) || (flags & NodeFlags.Disconnected) == 0)
        {
            return [];
        }

        _leaderTimeoutAt = null;
        var actions = new List<RecdAction>();
        actions.Log(ElectionLogs.LeaderDisconnected(Leader));
        StartElection(view, actions, ElectionCauses.LeaderDisconnected(OwnPnn, Leader));
        return actions;
    }
}
