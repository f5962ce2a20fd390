using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Election;

[Description("issue 7: leadership announced at once; a disconnected leader noticed from the node map")]
public class FastFailoverTests
{
    private const uint Unknown = CtdbConstants.UnknownPnn;

    private static LeaderElection FollowerOf(uint leader, DecisionOptions? options = null)
    {
        var e = new LeaderElection(Locked(1), options);
        e.OnLeaderBroadcast(leader, S(0), View());
        return e;
    }

    [Test]
    public void Lock_race_winner_broadcasts_itself_at_once()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));

        var actions = e.OnLockHelperAnswered(attempt, (byte)'0', S(0.05), View());

        Assert.Multiple(() =>
        {
            Assert.That(actions.OfType<RecdAction.BroadcastLeader>().Select(b => b.Pnn), Is.EqualTo(Expect.Pnns(1)));
            Assert.That(e.IsLeader, Is.True);
        });
    }

    [Test]
    public void Stock_options_leave_the_first_broadcast_to_the_loop()
    {
        var e = new LeaderElection(Locked(1), DecisionOptions.Stock4226);
        var attempt = StartLockRace(e, S(0));

        var actions = e.OnLockHelperAnswered(attempt, (byte)'0', S(0.05), View());

        Assert.That(actions.OfType<RecdAction.BroadcastLeader>(), Is.Empty);
    }

    [Test]
    public void Disconnected_leader_in_own_map_starts_an_election_now()
    {
        var e = FollowerOf(0);
        var map = Map(NodeFlags.Disconnected | NodeFlags.Unhealthy, 0, 0);

        var actions = e.OnOwnNodeMap(map, View(map: map));

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Leader node 0 is disconnected - forcing election", "Start election")));
            Assert.That(actions.Single<RecdAction.SetRecoveryModeActive>().Nodes, Is.EqualTo(Expect.Pnns(1, 2)));
            Assert.That(e.IsElectionInProgress, Is.True);
            Assert.That(e.LeaderTimeoutDeadline, Is.Null);
        });
    }

    [Test]
    public void Connected_leader_even_when_inactive_is_left_to_its_own_resignation()
    {
        var e = FollowerOf(0);
        var map = Map(NodeFlags.Stopped, 0, 0);

        Assert.Multiple(() =>
        {
            Assert.That(e.OnOwnNodeMap(map, View(map: map)), Is.Empty);
            Assert.That(e.IsElectionInProgress, Is.False);
            Assert.That(e.Leader, Is.EqualTo(0u));
        });
    }

    [Test]
    public void Nothing_when_leader_unknown_self_or_an_election_runs()
    {
        var map = Map(NodeFlags.Disconnected, NodeFlags.Disconnected, 0);
        var unknown = new LeaderElection(Locked(1));
        var self = new LeaderElection(Locked(0));
        var selfAttempt = StartLockRace(self, S(0));
        self.OnLockHelperAnswered(selfAttempt, (byte)'0', S(0.1), View());
        var electing = FollowerOf(0);
        electing.ForceElection(View());

        Assert.Multiple(() =>
        {
            Assert.That(unknown.Leader, Is.EqualTo(Unknown));
            Assert.That(unknown.OnOwnNodeMap(map, View(map: map)), Is.Empty);
            Assert.That(self.IsLeader, Is.True);
            Assert.That(self.OnOwnNodeMap(map, View(map: map)), Is.Empty);
            Assert.That(electing.OnOwnNodeMap(map, View(map: map)), Is.Empty);
        });
    }

    [Test]
    public void Stock_options_wait_for_the_leader_timeout()
    {
        var e = FollowerOf(0, DecisionOptions.Stock4226);
        var map = Map(NodeFlags.Disconnected, 0, 0);

        Assert.Multiple(() =>
        {
            Assert.That(e.OnOwnNodeMap(map, View(map: map)), Is.Empty);
            Assert.That(e.LeaderTimeoutDeadline, Is.Not.Null);
        });
    }
}
