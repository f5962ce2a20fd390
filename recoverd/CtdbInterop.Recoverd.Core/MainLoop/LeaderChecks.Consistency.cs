using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>B35-B38: node maps and vnn maps must agree across active nodes.</summary>
public static partial class LeaderChecks
{
    /// <summary>B35: every other active node's map has the same count and the same PNN at every index.</summary>
    private static LeaderOutcome.Recover? CheckNodeMaps(uint own, NodeMapView local, Dictionary<uint, NodeMapView> remote)
    {
        foreach (var node in local.AsSpan())
        {
            if (node.Pnn == own || !node.IsActive)
            {
                continue;
            }

            // Active implies connected, so B27 read this map.
            var theirs = remote[node.Pnn];
            if (theirs.Count != local.Count)
            {
                return Recover(
                    new RecoveryCause(RecoveryCheck.NodeCountMismatch, "B35", node.Pnn, theirs.Count, local.Count, node.Pnn),
                    LogLine.Error($"Remote node:{node.Pnn} has different node count. {theirs.Count} vs {local.Count} of the local node").AtLocation("main_loop"));
            }

            for (var i = 0; i < local.Count; i++)
            {
                if (theirs.Nodes[i].Pnn != local.Nodes[i].Pnn)
                {
                    return Recover(
                        new RecoveryCause(RecoveryCheck.NodeMapPnnMismatch, "B35", node.Pnn, theirs.Nodes[i].Pnn, local.Nodes[i].Pnn, node.Pnn),
                        LogLine.Error($"Remote node:{node.Pnn} has different nodemap pnn for {i} ({theirs.Nodes[i].Pnn} vs {local.Nodes[i].Pnn}).").AtLocation("main_loop"));
                }
            }
        }

        return null;
    }

    /// <summary>B36/B37: the vnn map holds exactly the active nodes with the LMASTER capability.</summary>
    private static LeaderOutcome.Recover? CheckLmasters(uint own, NodeMapView local, VnnMapView vnnMap, IReadOnlyDictionary<uint, CtdbCapabilities> capabilities)
    {
        var lmasters = 0;
        foreach (var node in local.AsSpan())
        {
            if (IsActiveLmaster(node, capabilities))
            {
                lmasters++;
            }
        }

        if (vnnMap.Size != lmasters)
        {
            return Recover(
                new RecoveryCause(RecoveryCheck.VnnMapLmasterCountMismatch, "B36", own, vnnMap.Size, lmasters, own),
                LogLine.Error($"The vnnmap count is different from the number of active lmaster nodes: {vnnMap.Size} vs {lmasters}").AtLocation("main_loop"));
        }

        foreach (var node in local.AsSpan())
        {
            var pnn = node.Pnn;
            if (IsActiveLmaster(node, capabilities) && pnn != own && !vnnMap.Contains(pnn))
            {
                return Recover(
                    new RecoveryCause(RecoveryCheck.LmasterMissingFromVnnMap, "B37", pnn, Culprit: pnn),
                    LogLine.Error($"Active LMASTER node {pnn} is not in the vnnmap"));
            }
        }

        return null;
    }

    private static bool IsActiveLmaster(NodeEntry node, IReadOnlyDictionary<uint, CtdbCapabilities> capabilities) =>
        node.IsActive && capabilities.TryGetValue(node.Pnn, out var caps) && caps.IsLmaster();

    /// <summary>B38: every other active node has the same vnn map; a failed read halts without culprit.</summary>
    private static LeaderOutcome? CheckRemoteVnnMaps(LeaderSnapshot snapshot, NodeMapView local, VnnMapView ours)
    {
        foreach (var node in local.AsSpan())
        {
            var pnn = node.Pnn;
            if (!node.IsActive || pnn == snapshot.OwnPnn)
            {
                continue;
            }

            if (!snapshot.RemoteVnnMaps.TryGetValue(pnn, out var read) || !read.TryGetValue(out var theirs))
            {
                return Halt(LeaderHaltReason.RemoteVnnMapFailed, LogLine.Error($"Unable to get vnnmap from remote node {pnn}").AtLocation("main_loop"));
            }

            if (theirs.Generation != ours.Generation)
            {
                return Recover(
                    new RecoveryCause(RecoveryCheck.VnnMapGenerationMismatch, "B38", pnn, theirs.Generation, ours.Generation, pnn),
                    LogLine.Error($"Remote node {pnn} has different generation of vnnmap. {theirs.Generation} vs {ours.Generation} (ours)").AtLocation("main_loop"));
            }

            if (theirs.Size != ours.Size)
            {
                return Recover(
                    new RecoveryCause(RecoveryCheck.VnnMapSizeMismatch, "B38", pnn, theirs.Size, ours.Size, pnn),
                    LogLine.Error($"Remote node {pnn} has different size of vnnmap. {theirs.Size} vs {ours.Size} (ours)").AtLocation("main_loop"));
            }

            if (!theirs.HasSameMap(ours))
            {
                return Recover(
                    new RecoveryCause(RecoveryCheck.VnnMapContentMismatch, "B38", pnn, Culprit: pnn),
                    LogLine.Error($"Remote node {pnn} has different vnnmap.").AtLocation("main_loop"));
            }
        }

        return null;
    }
}
