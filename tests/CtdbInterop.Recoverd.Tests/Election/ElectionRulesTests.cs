using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using CtdbInterop.Recoverd.Tests.Support;

namespace CtdbInterop.Recoverd.Tests.Election;

[Description("recoverd-behaviours B79, B80")]
public class ElectionRulesTests
{
    private static readonly WallTime Older = new(1000, 5);
    private static readonly WallTime Newer = new(1000, 6);

    private static IEnumerable<TestCaseData> ComparisonTable()
    {
        var self = new ElectionData(3, Older, 1, 0);
        yield return new TestCaseData(self, true, new ElectionData(3, Older, 2, NodeFlags.Banned), true, ElectionReason.SenderInactive)
            .SetName("Inactive (banned) sender loses even with an older priority and higher PNN");
        yield return new TestCaseData(self, true, new ElectionData(3, Older, 2, NodeFlags.Disconnected), true, ElectionReason.SenderInactive)
            .SetName("Disconnected bit counts as inactive");
        yield return new TestCaseData(self, true, new ElectionData(3, Newer, 0, 0), true, ElectionReason.OwnPriorityOlder)
            .SetName("Own older priority time wins");
        yield return new TestCaseData(self, true, new ElectionData(9, new WallTime(999, 999_999), 0, 0), false, ElectionReason.OwnPriorityNewer)
            .SetName("Sender's older priority time wins regardless of num_connected");
        yield return new TestCaseData(self, true, new ElectionData(3, Older, 0, 0), true, ElectionReason.TieOwnPnnHigher)
            .SetName("Tie goes to the higher PNN (own)");
        yield return new TestCaseData(self, true, new ElectionData(3, Older, 2, 0), false, ElectionReason.TieOwnPnnNotHigher)
            .SetName("Tie goes to the higher PNN (sender)");
        yield return new TestCaseData(self, false, new ElectionData(0, Newer, 0, NodeFlags.Stopped), false, ElectionReason.SelfCannotLead)
            .SetName("A node that cannot lead loses even against an inactive sender");
        yield return new TestCaseData(self, true, new ElectionData(3, Older, 2, NodeFlags.Unhealthy), false, ElectionReason.TieOwnPnnNotHigher)
            .SetName("Unhealthy is not inactive");
    }

    [TestCaseSource(nameof(ComparisonTable))]
    public void Compare_follows_the_rule_order(ElectionData own, bool ownCanLead, ElectionData other, bool expectWin, ElectionReason expectReason)
    {
        var outcome = ElectionRules.Compare(own, ownCanLead, other);
        Assert.That(outcome, Is.EqualTo(new ElectionOutcome(expectWin, expectReason)));
    }

    [Test]
    public void OwnData_counts_connected_entries_and_carries_priority_and_flags()
    {
        var map = Build.Map(0, NodeFlags.Disconnected, NodeFlags.Deleted | NodeFlags.Disconnected, NodeFlags.Banned);
        var view = Build.View(map: map, priority: Older) with { OwnFlags = NodeFlags.Unhealthy };

        var data = ElectionRules.OwnData(0, view);

        Assert.That(data, Is.EqualTo(new ElectionData(2, Older, 0, NodeFlags.Unhealthy)));
    }

    [TestCase(NodeFlags.Stopped, Build.DefaultCaps)]
    [TestCase((NodeFlags)0, CtdbCapabilities.Lmaster)]
    public void OwnData_of_a_node_that_cannot_lead_tries_to_lose(NodeFlags flags, CtdbCapabilities caps)
    {
        var now = new WallTime(2000, 1);
        var view = Build.View(ownFlags: flags, caps: caps, priority: Older, wallNow: now);

        var data = ElectionRules.OwnData(4, view);

        Assert.That(data, Is.EqualTo(new ElectionData(0, now, 4, flags)));
    }

    [Test]
    public void ResignationData_adds_STOPPED_only_when_no_inactive_bit_is_set()
    {
        var now = new WallTime(5, 0);
        Assert.Multiple(() =>
        {
            Assert.That(ElectionRules.ResignationData(1, NodeFlags.Unhealthy, now),
                Is.EqualTo(new ElectionData(0, now, 1, NodeFlags.Unhealthy | NodeFlags.Stopped)));
            Assert.That(ElectionRules.ResignationData(1, NodeFlags.Banned, now),
                Is.EqualTo(new ElectionData(0, now, 1, NodeFlags.Banned)));
        });
    }

    [Test]
    public void Resignation_data_loses_against_every_capable_peer_even_with_a_skewed_clock()
    {
        // A peer whose clock runs far ahead would lose on priority time alone; STOPPED decides.
        var resigner = ElectionRules.ResignationData(2, 0, new WallTime(100, 0));
        var peer = new ElectionData(3, new WallTime(10_000, 0), 0, 0);

        Assert.That(ElectionRules.Compare(peer, true, resigner).OwnWins, Is.True);
    }
}
