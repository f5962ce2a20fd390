using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>
/// What the main loop remembers between iterations (B07), owned by the main loop. Immutable:
/// each stage returns the next value and the shell keeps the latest one.
/// </summary>
/// <param name="PriorityTime">B86: wall-clock daemon start, reset while inactive (B22).</param>
/// <param name="NodeListCount">The daemon's node-list count (B29, B58), seeded from ctdbd's node map at start.</param>
public sealed record LoopMemory(WallTime PriorityTime, int NodeListCount)
{
    /// <summary>The cached node map (B19), null until the first successful read.</summary>
    public NodeMapView? NodeMap { get; init; }

    /// <summary>Own flags from the cached map's entry with the own PNN.</summary>
    public NodeFlags OwnFlags { get; init; }

    /// <summary>Own capabilities (startup read, then B24).</summary>
    public CtdbCapabilities OwnCapabilities { get; init; }

    /// <summary>B24's per-node capabilities of active nodes (B36, B37).</summary>
    public IReadOnlyDictionary<uint, CtdbCapabilities> NodeCapabilities { get; init; } = new Dictionary<uint, CtdbCapabilities>();

    /// <summary>B22: the local node was frozen in the current inactive period.</summary>
    public bool FrozenWhileInactive { get; init; }

    /// <summary>B31/B47: a recovery failed or was aborted after it began.</summary>
    public bool NeedRecovery { get; init; }

    /// <summary>B39/B63: the last takeover run failed.</summary>
    public bool NeedTakeoverRun { get; init; }

    public static LoopMemory Initial(WallTime startedAt, int nodeListCount, CtdbCapabilities ownCapabilities) =>
        new(startedAt, nodeListCount) { OwnCapabilities = ownCapabilities };

    /// <summary>The view the election reads, built from this memory.</summary>
    public NodeView ToNodeView(WallTime wallNow, RecdTunables tunables) =>
        new(OwnFlags, OwnCapabilities, PriorityTime, wallNow, NodeMap, NodeListCount, tunables);
}
