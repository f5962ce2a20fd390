using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using CtdbInterop.Recoverd.Core.MainLoop;

namespace CtdbInterop.Recoverd.Tests.Support;

/// <summary>Small builders so tests state only what matters to them.</summary>
internal static class Build
{
    public const CtdbCapabilities DefaultCaps = CtdbCapabilities.Recmaster | CtdbCapabilities.Lmaster;

    public static readonly WallTime Epoch = new(1_700_000_000, 0);

    public static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    public static WallTime Wall(double secondsAfterEpoch) =>
        WallTime.FromUnixMicroseconds(Epoch.ToUnixMicroseconds() + (long)(secondsAfterEpoch * 1_000_000));

    public static NodeMapView Map(params NodeFlags[] flags) => NodeMapView.FromFlags(flags);

    public static NodeMapView HealthyMap(int count) => NodeMapView.FromFlags(new NodeFlags[count]);

    public static NodeView View(
        NodeFlags ownFlags = default,
        CtdbCapabilities caps = DefaultCaps,
        WallTime? priority = null,
        WallTime? wallNow = null,
        NodeMapView? map = null,
        RecdTunables? tunables = null) =>
        new(ownFlags, caps, priority ?? Epoch, wallNow ?? Wall(100), map ?? HealthyMap(3), map?.Count ?? 3, tunables ?? RecdTunables.Defaults);

    public static RecdConfig Classic(uint pnn) => new(pnn);

    public static RecdConfig Locked(uint pnn) => new(pnn, ClusterLock: "/shared/.ctdb.lock");

    /// <summary>A forced election whose recovery-mode round succeeded at <paramref name="at"/>: the lock race's attempt id.</summary>
    public static long StartLockRace(LeaderElection e, TimeSpan at)
    {
        var ticket = e.ForceElection(View()).Single<RecdAction.SetRecoveryModeActive>().ResultTicket!.Value;
        return e.OnRecoveryModeActivated(ticket, true, at, View()).Single<RecdAction.TakeClusterLock>().AttemptId;
    }

    public static LoopMemory Memory(NodeMapView map, uint ownPnn = 0, int? nodeListCount = null) =>
        LoopMemory.Initial(Epoch, nodeListCount ?? map.Count, DefaultCaps) with
        {
            NodeMap = map,
            OwnFlags = map.TryGetFlags(ownPnn, out var f) ? f : default,
            NodeCapabilities = map.Nodes.ToDictionary(n => n.Pnn, _ => DefaultCaps),
        };
}
