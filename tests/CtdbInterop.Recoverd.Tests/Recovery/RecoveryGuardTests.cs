using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Recovery;
using CtdbInterop.Recoverd.Core.Resignation;

namespace CtdbInterop.Recoverd.Tests.Recovery;

[Description("recoverd-behaviours §3.2 rules 1-3, B46")]
public class RecoveryGuardTests
{
    private const CtdbCapabilities Caps = Build.DefaultCaps;

    [Test]
    public void Allows_an_active_capable_leader()
    {
        var verdict = RecoveryGuard.MayRecover(Fetch.Ok<NodeFlags>(0), Caps, 1, 1);
        Assert.That(verdict, Is.InstanceOf<RecoveryVerdict.Allowed>());
    }

    [TestCase(NodeFlags.Stopped)]
    [TestCase(NodeFlags.Banned)]
    [TestCase(NodeFlags.Stopped | NodeFlags.Unhealthy)]
    public void Refuses_and_requires_resignation_when_own_flags_are_inactive(NodeFlags flags)
    {
        var verdict = (RecoveryVerdict.Refused)RecoveryGuard.MayRecover(Fetch.Ok(flags), Caps, 1, 1);
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Reason, Is.EqualTo(RecoveryRefusal.Inactive));
            Assert.That(verdict.MustResign, Is.True);
            Assert.That(verdict.Resign, Is.EqualTo(new ResignReason(ResignCause.NodeInactive, flags)));
            Assert.That(verdict.Logs.Texts(), Is.EqualTo(Expect.Lines("This node can no longer be leader, abort recovery")));
        });
    }

    [Test]
    public void Refuses_without_the_leader_capability()
    {
        var verdict = (RecoveryVerdict.Refused)RecoveryGuard.MayRecover(Fetch.Ok<NodeFlags>(0), CtdbCapabilities.Lmaster, 1, 1);
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Reason, Is.EqualTo(RecoveryRefusal.NoLeaderCapability));
            Assert.That(verdict.Resign!.Cause, Is.EqualTo(ResignCause.LeaderCapabilityWithdrawn));
        });
    }

    [Test]
    public void Refuses_without_resignation_when_the_node_map_read_failed()
    {
        var verdict = (RecoveryVerdict.Refused)RecoveryGuard.MayRecover(Fetch.Failed<NodeFlags>(), Caps, 1, 1);
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Reason, Is.EqualTo(RecoveryRefusal.NodeMapFetchFailed));
            Assert.That(verdict.MustResign, Is.False);
            Assert.That(verdict.Logs.Texts(), Is.EqualTo(Expect.Lines("Unable to get nodemap from node 1")));
        });
    }

    [Test]
    public void Refuses_when_another_node_leads()
    {
        var verdict = (RecoveryVerdict.Refused)RecoveryGuard.MayRecover(Fetch.Ok<NodeFlags>(0), Caps, 2, 1);
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Reason, Is.EqualTo(RecoveryRefusal.NotLeader));
            Assert.That(verdict.Logs.Texts(), Is.EqualTo(Expect.Lines("Leader changed to 2, aborting recovery")));
        });
    }

    [Test]
    [Description("bug 16082 reproduced: 4.22.6 only checks the recorded leader")]
    public void Without_the_recheck_an_inactive_leader_is_allowed()
    {
        var stock = new DecisionOptions { RecheckBeforeRecovery = false };
        var verdict = RecoveryGuard.MayRecover(Fetch.Ok(NodeFlags.Stopped), Caps, 1, 1, stock);
        Assert.That(verdict, Is.InstanceOf<RecoveryVerdict.Allowed>());
    }

    [Test]
    public void Own_flags_are_located_by_pnn_in_the_fresh_map()
    {
        var map = NodeMapView.Of(new NodeEntry(5, NodeFlags.Banned), new NodeEntry(1, 0));
        Assert.Multiple(() =>
        {
            Assert.That(RecoveryGuard.OwnFlagsFrom(Fetch.Ok(map), 5), Is.EqualTo(Fetch.Ok(NodeFlags.Banned)));
            Assert.That(RecoveryGuard.OwnFlagsFrom(Fetch.Ok(map), 0).Succeeded, Is.False, "no own entry = failed read");
            Assert.That(RecoveryGuard.OwnFlagsFrom(Fetch.Failed<NodeMapView>(), 5).Succeeded, Is.False);
        });
    }
}
