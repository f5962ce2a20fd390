using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Recovery;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Recovery;

[Description("recoverd-behaviours B20, B56-B58, B72")]
public class CulpritTableTests
{
    [Test]
    public void Credits_accumulate_and_remember_the_last_culprit()
    {
        var table = new CulpritTable();
        table.Add(1, 1, HealthyMap(3), 0, S(0), 120);
        table.Add(1, 2, HealthyMap(3), 0, S(10), 120);
        table.Add(2, 1, HealthyMap(3), 0, S(11), 120);

        Assert.Multiple(() =>
        {
            Assert.That(table.CreditsOf(1), Is.EqualTo(3u));
            Assert.That(table.LastCulprit, Is.EqualTo(2u));
        });
    }

    [Test]
    public void Last_culprit_starts_as_0()
    {
        Assert.That(new CulpritTable().LastCulprit, Is.Zero);
    }

    [Test]
    public void Credits_older_than_the_grace_period_are_forgiven_first()
    {
        var table = new CulpritTable();
        table.Add(1, 5, HealthyMap(3), 0, S(0), 120);
        table.Add(1, 1, HealthyMap(3), 0, S(120), 120);
        Assert.That(table.CreditsOf(1), Is.EqualTo(6u), "exactly the grace period is not older");

        table.Add(1, 1, HealthyMap(3), 0, S(240.001), 120);
        Assert.That(table.CreditsOf(1), Is.EqualTo(1u));
    }

    [Test]
    public void Unknown_culprits_and_culprits_reported_by_an_inactive_node_are_ignored()
    {
        var table = new CulpritTable();
        var unknown = table.Add(9, 1, HealthyMap(3), 0, S(0), 120);
        var inactive = table.Add(1, 1, HealthyMap(3), NodeFlags.Banned, S(0), 120);
        var noMap = table.Add(1, 1, null, 0, S(0), 120);

        Assert.Multiple(() =>
        {
            Assert.That(unknown.Texts(), Is.EqualTo(Expect.Lines("Unknown culprit node 9")));
            Assert.That(inactive.Texts(), Is.EqualTo(Expect.Lines("This node is INACTIVE, cannot set culprit node 1")));
            Assert.That(noMap.Texts(), Is.EqualTo(Expect.Lines("Unknown culprit node 1")));
            Assert.That(table.Count, Is.Zero);
        });
    }

    [Test]
    public void Two_banning_reports_reach_the_threshold_and_the_node_is_banned_once()
    {
        var table = new CulpritTable();
        var map = HealthyMap(3);
        table.Add(2, (uint)map.Count, map, 0, S(0), 120);
        var early = MisbehavingNodes.Ban(table, map.Count, 0, 3, 300);
        table.Add(2, (uint)map.Count, map, 0, S(1), 120);

        var round = MisbehavingNodes.Ban(table, map.Count, 0, 3, 300);
        var after = MisbehavingNodes.Ban(table, map.Count, 0, 3, 300);

        Assert.Multiple(() =>
        {
            Assert.That(early.Actions, Is.Empty);
            Assert.That(round.Actions.LogTexts(), Is.EqualTo(Expect.Lines("Node 2 reached 6 banning credits", "Banning node 2 for 300 seconds")));
            Assert.That(round.Actions.Single<RecdAction.BanNode>(), Is.EqualTo(new RecdAction.BanNode(2, 300)));
            Assert.That(round.SelfBanned, Is.False);
            Assert.That(table.CreditsOf(2), Is.Zero);
            Assert.That(after.Actions, Is.Empty);
        });
    }

    [Test]
    public void Reaching_the_threshold_oneself_is_reported()
    {
        var table = new CulpritTable();
        table.Add(0, 4, HealthyMap(2), 0, S(0), 120);
        Assert.That(MisbehavingNodes.Ban(table, 2, 0, 2, 300).SelfBanned, Is.True);
    }

    [Test]
    public void Reset_forgets_everything()
    {
        var table = new CulpritTable();
        table.Add(1, 3, HealthyMap(3), 0, S(0), 120);
        Assert.Multiple(() =>
        {
            Assert.That(table.Reset().Text, Is.EqualTo("Resetting ban count to 0 for all nodes"));
            Assert.That(table.Count, Is.Zero);
        });
    }

    [Test]
    public void Ban_of_a_pnn_outside_the_node_list_is_refused()
    {
        var actions = Banning.BanNode(5, 3, 300);
        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Bad pnn 5 in ctdb_ban_node")));
            Assert.That(actions.WithoutLogs(), Is.Empty);
        });
    }
}
