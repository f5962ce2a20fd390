using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.MainLoop;
using CtdbInterop.Recoverd.Core.Resignation;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.MainLoop;

[Description("recoverd-behaviours B19, B21-B24")]
public class LocalStagesTests
{
    private static LocalSnapshot Snapshot(CtdbRecoveryMode mode, bool leader = false) => new(Fetch.Ok(mode), Wall(500), leader);

    [Test]
    public void B19_keeps_the_map_and_takes_own_flags_by_pnn()
    {
        var map = NodeMapView.Of(new NodeEntry(1, NodeFlags.Banned), new NodeEntry(0, NodeFlags.Unhealthy));
        var result = NodeMapRefresh.Apply(LoopMemory.Initial(Epoch, 2, DefaultCaps), 0, Fetch.Ok(map));

        Assert.Multiple(() =>
        {
            Assert.That(result.Proceed, Is.True);
            Assert.That(result.Memory.NodeMap, Is.EqualTo(map));
            Assert.That(result.Memory.OwnFlags, Is.EqualTo(NodeFlags.Unhealthy));
        });
    }

    [Test]
    public void B19_failed_read_ends_the_iteration()
    {
        var result = NodeMapRefresh.Apply(LoopMemory.Initial(Epoch, 2, DefaultCaps), 3, Fetch.Failed<NodeMapView>());
        Assert.Multiple(() =>
        {
            Assert.That(result.Proceed, Is.False);
            Assert.That(result.Actions.LogTexts(), Is.EqualTo(Expect.Lines("Unable to get nodemap from node 3")));
        });
    }

    [Test]
    public void B21_unreadable_recovery_mode_ends_the_iteration()
    {
        var verdict = LocalChecks.Decide(new LocalSnapshot(Fetch.Failed<CtdbRecoveryMode>(), Wall(1), false), Memory(HealthyMap(3)));
        Assert.That(verdict.Logs.Texts(), Is.EqualTo(Expect.Lines("Failed to read recmode from local node")));
        Assert.That(verdict, Is.InstanceOf<LocalVerdict.EndIteration>());
    }

    [Test]
    public void B22_inactive_node_resets_priority_activates_recovery_mode_and_freezes_once()
    {
        var memory = Memory(Map(NodeFlags.Stopped, 0, 0));

        var first = (LocalVerdict.Inactive)LocalChecks.Decide(Snapshot(CtdbRecoveryMode.Normal), memory);
        var frozen = first.Memory with { FrozenWhileInactive = true };
        var second = (LocalVerdict.Inactive)LocalChecks.Decide(Snapshot(CtdbRecoveryMode.Active), frozen);

        Assert.Multiple(() =>
        {
            Assert.That(first.Memory.PriorityTime, Is.EqualTo(Wall(500)));
            Assert.That(first.ActivateRecoveryMode, Is.True);
            Assert.That(first.Freeze, Is.True);
            Assert.That(first.Logs.Texts(), Is.EqualTo(Expect.Lines(
                "Node is stopped or banned but recovery mode is not active. Activate recovery mode and lock databases")));
            Assert.That(first.Resign, Is.Null, "not leader");
            Assert.That(second.ActivateRecoveryMode, Is.False);
            Assert.That(second.Freeze, Is.False, "frozen once per inactive period");
            Assert.That(second.Logs, Is.Empty);
        });
    }

    [Test]
    public void B22_inactive_leader_resigns()
    {
        var verdict = (LocalVerdict.Inactive)LocalChecks.Decide(Snapshot(CtdbRecoveryMode.Active, leader: true), Memory(Map(NodeFlags.Banned, 0)));
        Assert.That(verdict.Resign, Is.EqualTo(new ResignReason(ResignCause.NodeInactive, NodeFlags.Banned)));
    }

    [Test]
    public void Issue7_inactive_leader_hands_over_with_recovery_mode_active_on_the_others()
    {
        var leader = (LocalVerdict.Inactive)LocalChecks.Decide(Snapshot(CtdbRecoveryMode.Active, leader: true), Memory(Map(NodeFlags.Stopped, 0)));
        var follower = (LocalVerdict.Inactive)LocalChecks.Decide(Snapshot(CtdbRecoveryMode.Active), Memory(Map(NodeFlags.Stopped, 0)));
        var without = (LocalVerdict.Inactive)LocalChecks.Decide(
            Snapshot(CtdbRecoveryMode.Active, leader: true), Memory(Map(NodeFlags.Stopped, 0)), new DecisionOptions { HandOverWithRecovery = false });

        Assert.Multiple(() =>
        {
            Assert.That(leader.ActivateOthersOnResign, Is.True);
            Assert.That(follower.ActivateOthersOnResign, Is.False);
            Assert.That(without.Resign, Is.Not.Null);
            Assert.That(without.ActivateOthersOnResign, Is.False);
        });
    }

    [Test]
    public void B22_stock_inactive_leader_does_not_resign()
    {
        var verdict = (LocalVerdict.Inactive)LocalChecks.Decide(
            Snapshot(CtdbRecoveryMode.Active, leader: true), Memory(Map(NodeFlags.Banned, 0)), new DecisionOptions { ResignWhenUnableToLead = false });
        Assert.That(verdict.Resign, Is.Null);
    }

    [Test]
    public void B23_active_node_clears_the_frozen_marker_and_checks_ips_only_in_normal_mode()
    {
        var memory = Memory(HealthyMap(3)) with { FrozenWhileInactive = true };

        var normal = (LocalVerdict.Active)LocalChecks.Decide(Snapshot(CtdbRecoveryMode.Normal), memory);
        var recovering = (LocalVerdict.Active)LocalChecks.Decide(Snapshot(CtdbRecoveryMode.Active), memory);

        Assert.Multiple(() =>
        {
            Assert.That(normal.Memory.FrozenWhileInactive, Is.False);
            Assert.That(normal.Memory.PriorityTime, Is.EqualTo(Epoch), "an active node keeps its priority time");
            Assert.That(normal.RunIpChecks, Is.True);
            Assert.That(recovering.RunIpChecks, Is.False);
        });
    }

    [Test]
    public void B24_capabilities_replace_own_and_per_node_values()
    {
        IReadOnlyDictionary<uint, CtdbCapabilities> caps = new Dictionary<uint, CtdbCapabilities> { [0] = CtdbCapabilities.Lmaster, [1] = DefaultCaps };
        var memory = Memory(HealthyMap(2));

        var result = CapabilitiesRefresh.Apply(memory, 0, Fetch.Ok(caps));

        Assert.Multiple(() =>
        {
            Assert.That(CapabilitiesRefresh.Targets(memory), Is.EqualTo(Expect.Pnns(0, 1)));
            Assert.That(result.Proceed, Is.True);
            Assert.That(result.Memory.OwnCapabilities, Is.EqualTo(CtdbCapabilities.Lmaster));
            Assert.That(result.Memory.NodeCapabilities, Is.EqualTo(caps));
        });
    }

    [Test]
    public void B24_failure_or_missing_self_ends_the_iteration()
    {
        IReadOnlyDictionary<uint, CtdbCapabilities> others = new Dictionary<uint, CtdbCapabilities> { [1] = DefaultCaps };
        var failed = CapabilitiesRefresh.Apply(Memory(HealthyMap(2)), 0, Fetch.Failed<IReadOnlyDictionary<uint, CtdbCapabilities>>());
        var missing = CapabilitiesRefresh.Apply(Memory(HealthyMap(2)), 0, Fetch.Ok(others));

        Assert.Multiple(() =>
        {
            Assert.That(failed.Proceed, Is.False);
            Assert.That(failed.Actions.LogTexts(), Is.EqualTo(Expect.Lines("Unable to update node capabilities.")));
            Assert.That(missing.Proceed, Is.False);
            Assert.That(missing.Actions.LogTexts(), Is.EqualTo(Expect.Lines("Capabilities don't include current node.", "Unable to update node capabilities.")));
        });
    }

    [Test]
    public void Memory_builds_the_election_view()
    {
        var memory = Memory(Map(0, NodeFlags.Stopped)) with { OwnCapabilities = CtdbCapabilities.Lmaster };
        var view = memory.ToNodeView(Wall(9), RecdTunables.Defaults);
        Assert.Multiple(() =>
        {
            Assert.That(view.CanLead, Is.False);
            Assert.That(view.NodeMap, Is.EqualTo(memory.NodeMap));
            Assert.That(view.NodeListCount, Is.EqualTo(2));
            Assert.That(view.WallNow, Is.EqualTo(Wall(9)));
        });
    }
}
