using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>
/// What the election reads from state it does not own (the main loop owns these): the cached
/// own flags (B19) and capabilities (B24), the priority time (B86), the cached node map, the
/// node-list count (B58), the tunables (B17), and the wall clock "now" for "try to lose"
/// priority times. The shell builds a fresh one for every input.
/// </summary>
public sealed record NodeView(
    NodeFlags OwnFlags,
    CtdbCapabilities OwnCapabilities,
    WallTime PriorityTime,
    WallTime WallNow,
    NodeMapView? NodeMap,
    int NodeListCount,
    RecdTunables Tunables)
{
    /// <summary><c>this_node_can_be_leader()</c>: no INACTIVE bit and the RECMASTER capability.</summary>
    public bool CanLead => OwnFlags.IsActive() && OwnCapabilities.CanLead();
}
