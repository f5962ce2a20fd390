using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Takeover;

/// <summary>
/// B94 <c>push_flags_handler()</c> (every node, no leadership check): forward a local flag change
/// to every node the leader's map shows connected, self included, with the 12 bytes unchanged.
/// The shell fetches the leader's map first (a leader of UNKNOWN counts as a failed fetch).
/// </summary>
public static class PushNodeFlagsHandling
{
    public const int PayloadSize = 12;

    public static IReadOnlyList<RecdAction> Decide(uint pnn, NodeFlags newFlags, NodeFlags oldFlags, uint leader, FetchResult<NodeMapView> leaderMap)
    {
        // The C daemon prints the flag-change PNN here (latent issue 6); the leader is what failed.
        if (leader == CtdbConstants.UnknownPnn || !leaderMap.TryGetValue(out var map))
        {
            return [new RecdAction.Log(LogLine.Error($"Unable to get nodemap from node {leader}").AtLocation("push_flags_handler"))];
        }

        if (pnn >= (uint)map.Count)
        {
            return [new RecdAction.Log(LogLine.Error($"Nodemap from leader does not contain node {pnn}").WithFunction("push_flags_handler"))];
        }

        return
        [
            new RecdAction.PushNodeFlags(
                pnn,
                newFlags,
                oldFlags,
                map.ConnectedPnns(),
                LogLine.Error("ctdb_control to modify node flags failed").AtLocation("push_flags_handler")),
        ];
    }
}
