using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using CtdbInterop.Recoverd.Tests.Support;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Election;

[Description("recoverd-behaviours B07, B13-B15, B73-B76")]
public class LeaderBroadcastTests
{
    private const uint Unknown = CtdbConstants.UnknownPnn;

    [Test]
    public void Starts_with_unknown_leader_no_election_and_no_timers()
    {
        var e = new LeaderElection(Classic(0));
        Assert.Multiple(() =>
        {
            Assert.That(e.Leader, Is.EqualTo(Unknown));
            Assert.That(e.IsElectionInProgress, Is.False);
            Assert.That(e.NextDeadline, Is.Null);
            Assert.That(e.IsLockHeld, Is.False);
        });
    }

    [Test]
    public void Main_loop_arms_the_broadcast_loop_and_the_leader_timeout_once()
    {
        var e = new LeaderElection(Classic(0) with { LeaderTimeout = S(5) });
        e.EnsureBroadcastLoop(S(10));
        e.EnsureLeaderTimeout(S(10));
        e.EnsureBroadcastLoop(S(10.5));
        e.EnsureLeaderTimeout(S(10.5));

        Assert.Multiple(() =>
        {
            Assert.That(e.BroadcastLoopDeadline, Is.EqualTo(S(11)));
            Assert.That(e.LeaderTimeoutDeadline, Is.EqualTo(S(15)));
            Assert.That(e.NextDeadline, Is.EqualTo(S(11)));
        });
    }

    [Test]
    [Description("issue 7: the broadcast loop's tick is brought forward to the main loop's wake-up, never pushed back")]
    public void Aligning_the_broadcast_loop_only_ever_brings_it_forward()
    {
        var e = new LeaderElection(Classic(1));
        e.AlignBroadcastLoop(S(10.2), TimeSpan.Zero);
        Assert.That(e.BroadcastLoopDeadline, Is.Null, "not running: nothing to align");

        e.OnLeaderBroadcast(1, S(10), View());
        e.EnsureBroadcastLoop(S(10));
        e.AlignBroadcastLoop(S(11.3), TimeSpan.Zero);
        Assert.That(e.BroadcastLoopDeadline, Is.EqualTo(S(11)), "the main loop wakes later: the tick keeps its second");

        e.AlignBroadcastLoop(S(10.6), TimeSpan.Zero);
        Assert.That(e.BroadcastLoopDeadline, Is.EqualTo(S(10.6)));
        var tick = e.OnBroadcastLoopDue(S(10.6), View());
        Assert.Multiple(() =>
        {
            Assert.That(tick.Single<RecdAction.BroadcastLeader>().Pnn, Is.EqualTo(1u), "it runs then, as any tick");
            Assert.That(e.BroadcastLoopDeadline, Is.EqualTo(S(11.6)), "and re-arms a second later");
        });
    }

    [Test]
    public void Follower_tick_waits_up_to_the_lag_for_the_main_loop_a_leader_tick_never_waits()
    {
        var lag = TimeSpan.FromMilliseconds(10);
        var follower = new LeaderElection(Classic(1));
        follower.OnLeaderBroadcast(0, S(10), View());
        follower.EnsureBroadcastLoop(S(10));
        follower.AlignBroadcastLoop(S(11.005), lag);
        Assert.That(follower.BroadcastLoopDeadline, Is.EqualTo(S(11.005)), "within the lag: one wake-up with the loop");
        follower.AlignBroadcastLoop(S(11.5), lag);
        Assert.That(follower.BroadcastLoopDeadline, Is.EqualTo(S(11.005)), "past the lag: the tick keeps its time");

        var leader = new LeaderElection(Classic(1));
        leader.OnLeaderBroadcast(1, S(10), View());
        leader.EnsureBroadcastLoop(S(10));
        leader.AlignBroadcastLoop(S(11.005), lag);
        Assert.That(leader.BroadcastLoopDeadline, Is.EqualTo(S(11)), "the leader's broadcast keeps its second");

        var unknown = new LeaderElection(Classic(1));
        unknown.EnsureBroadcastLoop(S(10));
        unknown.AlignBroadcastLoop(S(11.005), lag);
        Assert.That(unknown.BroadcastLoopDeadline, Is.EqualTo(S(11)), "no leader known: no lag");
    }

    [Test]
    public void Known_leader_broadcast_is_adopted_logged_and_rearms_the_timeout()
    {
        var e = new LeaderElection(Classic(0));
        e.EnsureLeaderTimeout(S(0));

        var actions = e.OnLeaderBroadcast(2, S(3), View());
        var again = e.OnLeaderBroadcast(2, S(4), View());

        Assert.Multiple(() =>
        {
            Assert.That(e.Leader, Is.EqualTo(2u));
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Received leader broadcast, leader=2")));
            Assert.That(again, Is.Empty, "the same leader again is silent");
            Assert.That(e.LeaderTimeoutDeadline, Is.EqualTo(S(9)));
        });
    }

    [Test]
    public void Leader_timeout_logs_and_starts_an_election_with_recovery_mode_on_active_nodes()
    {
        var e = new LeaderElection(Classic(0));
        e.EnsureLeaderTimeout(S(0));
        var map = Map(0, NodeFlags.Stopped, 0, NodeFlags.Disconnected);

        var early = e.OnLeaderTimeoutDue(S(4.9), View(map: map));
        var actions = e.OnLeaderTimeoutDue(S(5), View(map: map));

        Assert.Multiple(() =>
        {
            Assert.That(early, Is.Empty, "an early expiry is stale");
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Leader broadcast timeout", "Start election")));
            var recmode = actions.Single<RecdAction.SetRecoveryModeActive>();
            Assert.That(recmode.Nodes, Is.EqualTo(Expect.Pnns(0, 2)));
            Assert.That(recmode.ResultTicket, Is.Not.Null);
            Assert.That(e.LeaderTimeoutDeadline, Is.Null);
            Assert.That(e.IsElectionInProgress, Is.True, "waiting for the recovery-mode round counts as an election");
        });
    }

    [Test]
    public void Election_without_a_node_map_targets_no_nodes()
    {
        var e = new LeaderElection(Classic(0));
        var actions = e.ForceElection(View() with { NodeMap = null });
        Assert.That(actions.Single<RecdAction.SetRecoveryModeActive>().Nodes, Is.Empty);
    }

    [Test]
    public void Failed_recovery_mode_round_gives_up_without_an_election()
    {
        var e = new LeaderElection(Classic(0));
        var ticket = e.ForceElection(View()).Single<RecdAction.SetRecoveryModeActive>().ResultTicket!.Value;

        var actions = e.OnRecoveryModeActivated(ticket, false, S(0.1), View());
        e.EnsureLeaderTimeout(S(1));

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Unable to set recovery mode to active on cluster")));
            Assert.That(actions.WithoutLogs(), Is.Empty);
            Assert.That(e.IsElectionInProgress, Is.False);
            Assert.That(e.LeaderTimeoutDeadline, Is.EqualTo(S(6)), "B15 re-arms so it is retried");
        });
    }

    [Test]
    public void Unknown_result_tickets_are_ignored()
    {
        var e = new LeaderElection(Classic(0));
        Assert.That(e.OnRecoveryModeActivated(42, true, S(0), View()), Is.Empty);
    }

    [Test]
    public void Leader_broadcasts_its_own_pnn_every_second()
    {
        var e = new LeaderElection(Classic(1));
        e.OnLeaderBroadcast(1, S(0), View());
        e.EnsureBroadcastLoop(S(0));

        var first = e.OnBroadcastLoopDue(S(1), View());
        var second = e.OnBroadcastLoopDue(S(2), View());

        Assert.Multiple(() =>
        {
            Assert.That(first.Single<RecdAction.BroadcastLeader>().Pnn, Is.EqualTo(1u));
            Assert.That(first.Single<RecdAction.BroadcastLeader>().OnFailure!.Text, Is.EqualTo("Failed to send leader broadcast"));
            Assert.That(second.Single<RecdAction.BroadcastLeader>().Pnn, Is.EqualTo(1u));
            Assert.That(e.BroadcastLoopDeadline, Is.EqualTo(S(3)));
        });
    }

    [Test]
    public void Non_leader_broadcast_loop_sends_nothing()
    {
        var e = new LeaderElection(Classic(1));
        e.EnsureBroadcastLoop(S(0));
        Assert.That(e.OnBroadcastLoopDue(S(1), View()), Is.Empty);
    }

    [Test]
    public void Leader_that_cannot_lead_resigns_from_the_broadcast_loop()
    {
        var e = new LeaderElection(Classic(1));
        e.OnLeaderBroadcast(1, S(0), View());
        e.EnsureBroadcastLoop(S(0));

        var actions = e.OnBroadcastLoopDue(S(1), View(ownFlags: NodeFlags.Stopped));

        Assert.Multiple(() =>
        {
            Assert.That(e.Leader, Is.EqualTo(Unknown));
            Assert.That(actions.LogTexts()[0], Is.EqualTo("Resigning as leader (this node is inactive, flags=0x20)"));
            Assert.That(actions.OfType<RecdAction.BroadcastLeader>().Select(b => b.Pnn), Is.EqualTo(Expect.Pnns(Unknown)));
        });
    }

    [Test]
    public void Without_resignation_the_leader_that_cannot_lead_steps_back_silently_as_stock_does()
    {
        var e = new LeaderElection(Classic(1), new DecisionOptions { ResignWhenUnableToLead = false });
        e.OnLeaderBroadcast(1, S(0), View());
        e.EnsureBroadcastLoop(S(0));

        var actions = e.OnBroadcastLoopDue(S(1), View(caps: CtdbCapabilities.Lmaster));

        Assert.Multiple(() =>
        {
            Assert.That(e.Leader, Is.EqualTo(Unknown));
            Assert.That(actions, Is.Empty);
        });
    }

    [Test]
    public void Unknown_broadcast_when_leader_already_unknown_only_rearms_the_timeout()
    {
        var e = new LeaderElection(Locked(0));
        var actions = e.OnLeaderBroadcast(Unknown, S(2), View());

        Assert.Multiple(() =>
        {
            Assert.That(actions, Is.Empty);
            Assert.That(e.IsElectionInProgress, Is.False);
            Assert.That(e.LeaderTimeoutDeadline, Is.EqualTo(S(7)));
        });
    }

    [Test]
    public void Unknown_broadcast_with_a_known_leader_races_for_the_lock_at_once()
    {
        var e = new LeaderElection(Locked(0));
        e.OnLeaderBroadcast(2, S(0), View());

        var actions = e.OnLeaderBroadcast(Unknown, S(1), View());

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Taking part in election", "Attempting to take cluster lock (/shared/.ctdb.lock)")));
            Assert.That(actions.Single<RecdAction.TakeClusterLock>().LockString, Is.EqualTo("/shared/.ctdb.lock"));
            Assert.That(e.Leader, Is.EqualTo(Unknown));
            Assert.That(e.IsElectionInProgress, Is.True);
            Assert.That(e.LeaderTimeoutDeadline, Is.Null, "cancelled and not re-armed during the election");
        });
    }

    [Test]
    public void Classic_unknown_broadcast_arms_the_election_timer_so_the_election_ends()
    {
        var e = new LeaderElection(Classic(0));
        e.OnLeaderBroadcast(2, S(0), View());

        var actions = e.OnLeaderBroadcast(Unknown, S(1), View());
        var end = e.OnTimersDue(S(4), View());

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Taking part in election")), "only the join is logged; nothing is sent");
            Assert.That(end.LogTexts(), Is.EqualTo(Expect.Lines("Election period ended, leader=2")));
            Assert.That(e.IsElectionInProgress, Is.False);
        });
    }

    [Test]
    public void Stock_classic_unknown_broadcast_waits_forever_for_election_messages()
    {
        var e = new LeaderElection(Classic(0), new DecisionOptions { ClassicUnknownArmsElectionTimer = false });
        e.OnLeaderBroadcast(2, S(0), View());
        e.OnLeaderBroadcast(Unknown, S(1), View());

        var later = e.OnTimersDue(S(1000), View());

        Assert.Multiple(() =>
        {
            Assert.That(later, Is.Empty);
            Assert.That(e.IsElectionInProgress, Is.True);
            Assert.That(e.NextDeadline, Is.Null);
        });
    }

    [Test]
    public void Known_broadcast_during_an_election_sets_the_leader_but_does_not_rearm_the_timeout()
    {
        var e = new LeaderElection(Classic(0));
        e.OnElectionMessage(new ElectionData(1, Wall(-5), 2, 0), S(0), View());

        e.OnLeaderBroadcast(2, S(1), View());

        Assert.Multiple(() =>
        {
            Assert.That(e.Leader, Is.EqualTo(2u));
            Assert.That(e.LeaderTimeoutDeadline, Is.Null);
        });
    }

    [Test]
    public void Stale_timer_calls_do_nothing()
    {
        var e = new LeaderElection(Classic(0));
        Assert.Multiple(() =>
        {
            Assert.That(e.OnLeaderTimeoutDue(S(100), View()), Is.Empty);
            Assert.That(e.OnBroadcastLoopDue(S(100), View()), Is.Empty);
            Assert.That(e.OnElectionTimerDue(S(100), View()), Is.Empty);
            Assert.That(e.OnCounterRequestDue(S(100), View()), Is.Empty);
            Assert.That(e.OnLockAttemptTimeout(S(100), View()), Is.Empty);
            Assert.That(e.OnTimersDue(S(100), View()), Is.Empty);
        });
    }
}
