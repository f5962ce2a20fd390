using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>
/// B19 (master's <c>update_node_map_and_flags()</c>): replace the cached node map with the one read
/// from the own node and take the own flags from the entry whose PNN is the own PNN.
/// </summary>
public static class NodeMapRefresh
{
    public static StageResult Apply(LoopMemory memory, uint ownPnn, FetchResult<NodeMapView> fetched, string function = "main_loop")
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (!fetched.TryGetValue(out var map))
        {
            return StageResult.EndIteration(memory, new RecdAction.Log(FetchFailed(ownPnn, function)));
        }

        if (!map.TryGetFlags(ownPnn, out var ownFlags))
        {
            return StageResult.EndIteration(memory, new RecdAction.Log(OwnEntryMissing(ownPnn, function)));
        }

        // Most reads return the map already cached: keep it rather than copy the memory (issue 7).
        if (ownFlags == memory.OwnFlags && map.Equals(memory.NodeMap))
        {
            return StageResult.Continue(memory);
        }

        return StageResult.Continue(memory with { NodeMap = map, OwnFlags = ownFlags });
    }

    public static LogLine FetchFailed(uint ownPnn, string function) =>
        LogLine.Error($"Unable to get nodemap from node {ownPnn}").WithFunction(function);

    public static LogLine OwnEntryMissing(uint ownPnn, string function) =>
        LogLine.Error($"Node map from node {ownPnn} has no entry for this node").WithFunction(function);
}
