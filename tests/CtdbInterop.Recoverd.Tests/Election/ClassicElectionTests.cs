using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Election;

[Description("recoverd-behaviours B77, B81-B83, B85")]
public class ClassicElectionTests
{
    private const uint Unknown = CtdbConstants.UnknownPnn;

    [Test]
    public void Forced_classic_election_broadcasts_unknown_then_its_own_request_and_assumes_it_wins()
    {
        var e = new LeaderElection(Classic(1));
        var ticket = e.ForceElection(View(priority: Wall(5))).Single<RecdAction.SetRecoveryModeActive>().ResultTicket!.Value;

        var actions = e.OnRecoveryModeActivated(ticket, true, S(0.1), View(priority: Wall(5)));

        Assert.Multiple(() =>
        {
            Assert.That(actions.WithoutLogs().Select(a => a.GetType().Name),
                Is.EqualTo(Expect.Lines(nameof(RecdAction.BroadcastLeader), nameof(RecdAction.BroadcastElection))));
            Assert.That(actions.Single<RecdAction.BroadcastLeader>().Pnn, Is.EqualTo(Unknown));
            var request = actions.Single<RecdAction.BroadcastElection>();
            Assert.That(request.Data, Is.EqualTo(new ElectionData(3, Wall(5), 1, 0)));
            Assert.That(request.OnFailure!.Text, Is.EqualTo("Failed to initiate leader election"));
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Send election request to all active nodes")));
            Assert.That(e.Leader, Is.EqualTo(1u));
            Assert.That(e.ElectionEndDeadline, Is.EqualTo(S(3.1)));
        });
    }

    [Test]
    public void Own_election_messages_are_ignored()
    {
        var e = new LeaderElection(Classic(1));
        Assert.Multiple(() =>
        {
            Assert.That(e.OnElectionMessage(new ElectionData(3, Wall(0), 1, 0), S(0), View()), Is.Empty);
            Assert.That(e.IsElectionInProgress, Is.False);
        });
    }

    [Test]
    public void Winning_schedules_one_counter_request_after_half_a_second()
    {
        var e = new LeaderElection(Classic(1));
        var worse = new ElectionData(3, Wall(50), 2, 0);

        e.OnElectionMessage(worse, S(0), View(priority: Wall(1)));
        e.OnElectionMessage(worse, S(0.2), View(priority: Wall(1)));
        var sent = e.OnTimersDue(S(0.5), View(priority: Wall(1)));

        Assert.Multiple(() =>
        {
            Assert.That(sent.Single<RecdAction.BroadcastElection>().OnFailure!.Text, Is.EqualTo("Failed to send election request!"));
            Assert.That(e.Leader, Is.EqualTo(1u));
            Assert.That(e.CounterRequestDeadline, Is.Null);
            Assert.That(e.ElectionEndDeadline, Is.EqualTo(S(3.2)), "the timer restarts with every message");
        });
    }

    [Test]
    public void Losing_cancels_the_counter_request_and_adopts_the_sender()
    {
        var e = new LeaderElection(Classic(1));
        e.OnElectionMessage(new ElectionData(3, Wall(50), 2, 0), S(0), View(priority: Wall(10)));
        var actions = e.OnElectionMessage(new ElectionData(3, Wall(1), 0, 0), S(0.1), View(priority: Wall(10)));

        Assert.Multiple(() =>
        {
            Assert.That(actions, Is.Empty);
            Assert.That(e.Leader, Is.EqualTo(0u));
            Assert.That(e.CounterRequestDeadline, Is.Null);
        });
    }

    [Test]
    public void Election_end_logs_the_leader_clears_fast_start_and_the_winner_needs_no_lock_in_classic_mode()
    {
        var e = new LeaderElection(Classic(1) with { TestMode = true });
        Assert.That(e.FastStart, Is.True);
        e.OnElectionMessage(new ElectionData(3, Wall(50), 2, 0), S(0), View(priority: Wall(1)));
        Assert.That(e.ElectionEndDeadline, Is.EqualTo(S(0.5)), "fast start: 0.5 s");
        e.OnCounterRequestDue(S(0.5), View(priority: Wall(1)));

        var end = e.OnElectionTimerDue(S(0.5), View());

        Assert.Multiple(() =>
        {
            Assert.That(end.LogTexts(), Is.EqualTo(Expect.Lines("Election period ended, leader=1")));
            Assert.That(end.WithoutLogs(), Is.Empty);
            Assert.That(e.FastStart, Is.False);
            Assert.That(e.IsElectionInProgress, Is.False);
        });
    }

    [Test]
    public void Classic_winner_in_lock_mode_takes_the_lock_and_bans_itself_when_it_cannot()
    {
        var e = new LeaderElection(Locked(1));
        e.OnElectionMessage(new ElectionData(3, Wall(50), 2, 0), S(0), View(priority: Wall(1)));
        e.OnCounterRequestDue(S(0.5), View(priority: Wall(1)));

        var end = e.OnElectionTimerDue(S(3), View());
        var attempt = end.Single<RecdAction.TakeClusterLock>().AttemptId;
        Assert.That(e.IsElectionInProgress, Is.True, "the lock attempt belongs to the election (rule 9)");
        var failed = e.OnLockHelperAnswered(attempt, (byte)'1', S(3.1), View());

        Assert.Multiple(() =>
        {
            Assert.That(failed.LogTexts(), Is.EqualTo(Expect.Lines(
                "Unable to take cluster lock - contention",
                "Unable to get cluster lock, banning node",
                "Banning node 1 for 300 seconds")));
            Assert.That(failed.Single<RecdAction.BanNode>(), Is.EqualTo(new RecdAction.BanNode(1, 300)));
        });
    }

    [Test]
    public void Losing_releases_a_held_lock()
    {
        var e = new LeaderElection(Locked(1));
        var ticket = e.ForceElection(View()).Single<RecdAction.SetRecoveryModeActive>().ResultTicket!.Value;
        var attempt = e.OnRecoveryModeActivated(ticket, true, S(0), View()).Single<RecdAction.TakeClusterLock>().AttemptId;
        e.OnLockHelperAnswered(attempt, (byte)'0', S(0.1), View());

        var actions = e.OnElectionMessage(new ElectionData(3, Wall(-100), 0, 0), S(1), View(priority: Wall(1)));

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Taking part in election", "Releasing cluster lock")));
            Assert.That(e.Leader, Is.EqualTo(0u));
            Assert.That(e.IsLockHeld, Is.False);
        });
    }

    [Test]
    public void Inactive_node_still_starts_elections_but_tries_to_lose()
    {
        var e = new LeaderElection(Classic(2));
        e.EnsureLeaderTimeout(S(0));
        var view = View(ownFlags: NodeFlags.Stopped, wallNow: Wall(999));

        var start = e.OnTimersDue(S(5), view);
        var ticket = start.Single<RecdAction.SetRecoveryModeActive>().ResultTicket!.Value;
        var request = e.OnRecoveryModeActivated(ticket, true, S(5), view).Single<RecdAction.BroadcastElection>();

        Assert.That(request.Data, Is.EqualTo(new ElectionData(0, Wall(999), 2, NodeFlags.Stopped)));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void An_own_request_after_the_period_ended_is_announced_only_when_its_exchange_ends(bool ours)
    {
        // Simulator seed 456154: the period ended and the counter-request fired in one instant;
        // the 1 s loop announced the assumed win at once, a peer that beat this node in the
        // exchange took the announcement (B75), and each of the two named the other.
        var e = new LeaderElection(Classic(1), ours ? DecisionOptions.Default : DecisionOptions.Stock4226);
        var zero = RecdTunables.Defaults with { ElectionTimeout = 0 };
        e.EnsureBroadcastLoop(S(0));
        e.OnElectionMessage(new ElectionData(3, Wall(50), 2, 0), S(0), View(priority: Wall(10), tunables: zero));
        e.OnTimersDue(S(0.25), View(priority: Wall(10), tunables: zero));

        var request = e.OnTimersDue(S(0.5), View(priority: Wall(10)));
        var loop = e.OnTimersDue(S(1), View(priority: Wall(10)));

        Assert.That(request.LogTexts(), Has.Member("Send election request to all active nodes"));
        if (ours)
        {
            Assert.That(loop.OfType<RecdAction.BroadcastLeader>(), Is.Empty, "assumed win announced while the others compare");
            Assert.That(e.IsElectionInProgress, Is.True);
            Assert.That(e.OnTimersDue(S(3.5), View(priority: Wall(10))).LogTexts(), Has.Member("Election period ended, leader=1"));
        }
        else
        {
            Assert.That(loop.Single<RecdAction.BroadcastLeader>().Pnn, Is.EqualTo(1u), "4.22.6 announces at once");
        }
    }
}
