using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>
/// B24 <c>update_capabilities()</c>: the shell reads GET_CAPABILITIES from every active node of the
/// cached map (self included) in parallel; any failure fails the whole read.
/// </summary>
public static class CapabilitiesRefresh
{
    public static readonly LogLine Failed = LogLine.Error("Unable to update node capabilities.").AtLocation("main_loop");
    public static readonly LogLine SelfMissing = LogLine.Error("Capabilities don't include current node.").AtLocation("update_capabilities");

    /// <summary>The nodes to ask: active entries of the cached map.</summary>
    public static IReadOnlyList<uint> Targets(LoopMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return memory.NodeMap?.ActivePnns() ?? [];
    }

    public static StageResult Apply(LoopMemory memory, uint ownPnn, FetchResult<IReadOnlyDictionary<uint, CtdbCapabilities>> fetched, LogLine? failureLog = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (!fetched.TryGetValue(out var capabilities))
        {
            return StageResult.EndIteration(memory, new RecdAction.Log(failureLog ?? Failed));
        }

        if (!capabilities.TryGetValue(ownPnn, out var own))
        {
            return StageResult.EndIteration(memory, new RecdAction.Log(SelfMissing), new RecdAction.Log(failureLog ?? Failed));
        }

        // Capabilities rarely change: keep the cached copy rather than copy it again (issue 7).
        if (own == memory.OwnCapabilities && SameEntries(memory.NodeCapabilities, capabilities))
        {
            return StageResult.Continue(memory);
        }

        return StageResult.Continue(memory with
        {
            OwnCapabilities = own,
            NodeCapabilities = new Dictionary<uint, CtdbCapabilities>(capabilities),
        });
    }

    private static bool SameEntries(IReadOnlyDictionary<uint, CtdbCapabilities> cached, IReadOnlyDictionary<uint, CtdbCapabilities> fresh)
    {
        if (cached.Count != fresh.Count)
        {
            return false;
        }

        foreach (var (pnn, capabilities) in fresh)
        {
            if (!cached.TryGetValue(pnn, out var known) || known != capabilities)
            {
                return false;
            }
        }

        return true;
    }
}
