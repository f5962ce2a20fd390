using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>
/// B28 <c>update_flags()</c> with bounds checks (latent issue 2). Remote maps are indexed by the
/// local index of the node concerned, as in C; an entry beyond a remote map's end carries no
/// information here (B35 reports the count mismatch).
/// </summary>
public static class FlagReconciliation
{
    /// <summary>Returns the updated local map and the log/push actions in order.</summary>
    public static (NodeMapView Map, IReadOnlyList<RecdAction> Actions) Reconcile(
        NodeMapView local, IReadOnlyDictionary<uint, NodeMapView> remoteMaps, uint ownPnn)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remoteMaps);
        var map = local;
        List<RecdAction>? actions = null;

        for (var j = 0; j < map.Count; j++)
        {
            var entry = map.Nodes[j];
            if (!entry.IsConnected)
            {
                continue;
            }

            var flags = entry.Flags;
            var push = false;

            if (entry.Pnn != ownPnn
                && remoteMaps.TryGetValue(entry.Pnn, out var own)
                && j < own.Count
                && own.Nodes[j].Flags != flags)
            {
                var remoteFlags = own.Nodes[j].Flags;
                (actions ??= []).Log(LogLine.Notice($"Remote node {entry.Pnn} had flags {remoteFlags.ToHex()}, local had {flags.ToHex()} - updating local"));
                map = map.WithFlagsAt(j, remoteFlags);
                flags = remoteFlags;
                push = true;
            }
            else
            {
                push = OthersDisagree(map, remoteMaps, ownPnn, j, flags);
            }

            if (push)
            {
                (actions ??= []).Log(LogLine.Notice($"Pushing updated flags for node {entry.Pnn} ({flags.ToHex()})"));

                // old = the cached entry, already updated, so equal to new (as in C).
                actions.Add(new RecdAction.PushNodeFlags(entry.Pnn, flags, flags, map.ConnectedPnns()));
            }
        }

        return (map, actions.OrEmpty());
    }

    private static bool OthersDisagree(NodeMapView map, IReadOnlyDictionary<uint, NodeMapView> remoteMaps, uint ownPnn, int j, Bindings.Generated.NodeFlags flags)
    {
        for (var i = 0; i < map.Count; i++)
        {
            var other = map.Nodes[i];
            if (i == j || !other.IsConnected || other.Pnn == ownPnn)
            {
                continue;
            }

            if (remoteMaps.TryGetValue(other.Pnn, out var view) && j < view.Count && view.Nodes[j].Flags != flags)
            {
                return true;
            }
        }

        return false;
    }
}
