using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>The leader check that found a recovery necessary.</summary>
public enum RecoveryCheck
{
    /// <summary>B31: a previous recovery failed or was aborted.</summary>
    UnfinishedRecovery,

    /// <summary>B32: an active node is in recovery mode.</summary>
    NodeInRecoveryMode,

    /// <summary>B33: a cluster lock is configured but not held.</summary>
    ClusterLockNotHeld,

    /// <summary>B35: a node's map has a different entry count.</summary>
    NodeCountMismatch,

    /// <summary>B35: a node's map has a different PNN at some index.</summary>
    NodeMapPnnMismatch,

    /// <summary>B36: the vnn map size differs from the number of active lmasters.</summary>
    VnnMapLmasterCountMismatch,

    /// <summary>B37: an active lmaster is missing from the vnn map.</summary>
    LmasterMissingFromVnnMap,

    /// <summary>B38: a node's vnn map has another generation.</summary>
    VnnMapGenerationMismatch,

    /// <summary>B38: a node's vnn map has another size.</summary>
    VnnMapSizeMismatch,

    /// <summary>B38: a node's vnn map has other entries.</summary>
    VnnMapContentMismatch,
}

/// <summary>
/// Why a recovery is needed, as data for logs and metrics: the check, its behaviour id, the node
/// concerned, what was observed and expected (where the check compares numbers) and the culprit
/// that was credited (null when none).
/// </summary>
public sealed record RecoveryCause(
    RecoveryCheck Check,
    string Behaviour,
    uint? Node = null,
    long? Observed = null,
    long? Expected = null,
    uint? Culprit = null)
{
    /// <summary>The metric label of <see cref="Check"/> (closed set: one per <see cref="RecoveryCheck"/>).</summary>
    public string Label => Labels.Of(Check);

    /// <summary>The sentence for the log, e.g. <c>vnn map generation differs on node 2, 5 vs 7</c>.</summary>
    public string Describe()
    {
        var node = Node is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
        var values = Observed is { } o && Expected is { } e ? $", {o} vs {e}" : string.Empty;
        return Check switch
        {
            RecoveryCheck.UnfinishedRecovery => "the previous recovery did not finish (need_recovery set)",
            RecoveryCheck.NodeInRecoveryMode => $"node {node} is in recovery mode ACTIVE, expected NORMAL",
            RecoveryCheck.ClusterLockNotHeld => $"leader {node} does not hold the cluster lock",
            RecoveryCheck.NodeCountMismatch => $"node map count differs on node {node}{values}",
            RecoveryCheck.NodeMapPnnMismatch => $"node map PNN differs on node {node}{values}",
            RecoveryCheck.VnnMapLmasterCountMismatch => $"vnn map size differs from the active lmaster count on node {node}{values}",
            RecoveryCheck.LmasterMissingFromVnnMap => $"active lmaster node {node} is missing from the vnn map",
            RecoveryCheck.VnnMapGenerationMismatch => $"vnn map generation differs on node {node}{values}",
            RecoveryCheck.VnnMapSizeMismatch => $"vnn map size differs on node {node}{values}",
            RecoveryCheck.VnnMapContentMismatch => $"vnn map entries differ on node {node}",
            _ => Check.ToString(),
        } + $" [{Behaviour}]";
    }

    /// <summary>This cause as the decision data of the recovery's first log line.</summary>
    public DecisionCause ToDecision() => new(
        DecisionKind.Recovery,
        Label,
        Describe(),
        Node,
        Observed?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Expected?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The closed label set of <see cref="RecoveryCheck"/>.</summary>
    public static class Labels
    {
        /// <summary>Every label, for exporters that publish zero-valued series.</summary>
        public static IReadOnlyList<string> All { get; } = Enum.GetValues<RecoveryCheck>().Select(Of).ToArray();

        public static string Of(RecoveryCheck check) => check switch
        {
            RecoveryCheck.UnfinishedRecovery => "unfinished_recovery",
            RecoveryCheck.NodeInRecoveryMode => "node_in_recovery_mode",
            RecoveryCheck.ClusterLockNotHeld => "cluster_lock_not_held",
            RecoveryCheck.NodeCountMismatch => "node_count_mismatch",
            RecoveryCheck.NodeMapPnnMismatch => "nodemap_pnn_mismatch",
            RecoveryCheck.VnnMapLmasterCountMismatch => "vnnmap_lmaster_count_mismatch",
            RecoveryCheck.LmasterMissingFromVnnMap => "lmaster_missing_from_vnnmap",
            RecoveryCheck.VnnMapGenerationMismatch => "vnnmap_generation_mismatch",
            RecoveryCheck.VnnMapSizeMismatch => "vnnmap_size_mismatch",
            RecoveryCheck.VnnMapContentMismatch => "vnnmap_content_mismatch",
            _ => "other",
        };
    }
}
