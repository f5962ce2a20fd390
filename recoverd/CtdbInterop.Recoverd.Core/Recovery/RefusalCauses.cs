using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>The causes of a refused recovery (the 16082 guard and the leader test), with their closed labels.</summary>
public static class RefusalCauses
{
    /// <summary>Every <see cref="RecoveryRefusal"/> label, for exporters that publish zero-valued series.</summary>
    public static IReadOnlyList<string> AllLabels { get; } = Enum.GetValues<RecoveryRefusal>().Select(Label).ToArray();

    public static string Label(RecoveryRefusal reason) => reason switch
    {
        RecoveryRefusal.NodeMapFetchFailed => "nodemap_fetch_failed",
        RecoveryRefusal.Inactive => "inactive",
        RecoveryRefusal.NoLeaderCapability => "no_leader_capability",
        RecoveryRefusal.NotLeader => "not_leader",
        _ => "other",
    };

    /// <summary>
    /// The cause of a refusal. <paramref name="cachedOwnFlags"/> are the flags of the main loop's
    /// node-map read; when they were active and the fresh ones are not, the flags changed in between.
    /// <paramref name="when"/> names the moment of the fresh read ("recovery start", "recovery helper run").
    /// </summary>
    public static DecisionCause For(
        RecoveryRefusal reason,
        uint ownPnn,
        NodeFlags freshFlags,
        NodeFlags? cachedOwnFlags,
        CtdbCapabilities capabilities,
        uint leader,
        string when)
    {
        var text = reason switch
        {
            RecoveryRefusal.NodeMapFetchFailed => $"node map of node {ownPnn} could not be read at {when}",
            RecoveryRefusal.Inactive when cachedOwnFlags is { } before && before.IsActive() =>
                $"own flags became {freshFlags.Names()} ({freshFlags.ToHex()}) between node-map read ({before.Names()}) and {when} on node {ownPnn}",
            RecoveryRefusal.Inactive => $"own flags are {freshFlags.Names()} ({freshFlags.ToHex()}) at {when} on node {ownPnn}, expected no inactive flag",
            RecoveryRefusal.NoLeaderCapability =>
                $"node {ownPnn} lacks the leader capability at {when} (capabilities 0x{(uint)capabilities:x}, expected RECMASTER)",
            RecoveryRefusal.NotLeader => $"leader is node {leader}, expected this node {ownPnn}",
            _ => reason.ToString(),
        };
        var (observed, expected) = reason switch
        {
            RecoveryRefusal.Inactive => (freshFlags.Names(), "active"),
            RecoveryRefusal.NoLeaderCapability => ($"0x{(uint)capabilities:x}", "RECMASTER"),
            RecoveryRefusal.NotLeader => (leader.ToString(System.Globalization.CultureInfo.InvariantCulture), ownPnn.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ => ((string?)null, (string?)null),
        };
        return new DecisionCause(DecisionKind.RecoveryRefused, Label(reason), text, ownPnn, observed, expected);
    }
}
