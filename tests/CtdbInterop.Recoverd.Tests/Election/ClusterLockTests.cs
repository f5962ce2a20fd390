using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Election;

[Description("recoverd-behaviours B77, B84, B88-B92; §3.2 rules 8-13")]
public class ClusterLockTests
{
    private const uint Unknown = CtdbConstants.UnknownPnn;

    /// <summary>Leader timeout → recovery mode round → lock race started; returns the attempt id.</summary>
    private static long StartLockRace(LeaderElection e, TimeSpan at)
    {
        var ticket = e.ForceElection(View()).Single<RecdAction.SetRecoveryModeActive>().ResultTicket!.Value;
        var actions = e.OnRecoveryModeActivated(ticket, true, at, View());
        Assert.That(actions.OfType<RecdAction.BroadcastLeader>().Select(b => b.Pnn), Is.EqualTo(Expect.Pnns(Unknown)));
        return actions.Single<RecdAction.TakeClusterLock>().AttemptId;
    }

    [Test]
    public void Lock_election_winner_becomes_leader_after_the_helper_answers_0()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));

        var actions = e.OnLockHelperAnswered(attempt, (byte)'0', S(0.25), View());

        Assert.Multiple(() =>
        {
            Assert.That(actions.Single<RecdAction.ReportLockLatency>().Latency, Is.EqualTo(S(0.25)));
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Cluster lock taken successfully", "Took cluster lock, leader=1")));
            Assert.That(e.Leader, Is.EqualTo(1u));
            Assert.That(e.IsLockHeld, Is.True);
            Assert.That(e.IsElectionInProgress, Is.False);
        });
    }

    [TestCase((byte)'1', "Unable to take cluster lock - contention")]
    [TestCase((byte)'2', "Unable to take cluster lock - timeout")]
    [TestCase((byte)'3', "Unable to take cluster lock - unknown error")]
    public void Lock_election_loser_stays_without_leader_and_stops_its_helper(byte status, string log)
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));

        var actions = e.OnLockHelperAnswered(attempt, status, S(0.1), View());

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines(log)));
            Assert.That(actions.Single<RecdAction.TerminateLockHelper>().AttemptId, Is.EqualTo(attempt));
            Assert.That(e.Leader, Is.EqualTo(Unknown));
            Assert.That(e.IsElectionInProgress, Is.False);
            Assert.That(e.LockPhase, Is.EqualTo(ClusterLockPhase.Releasing), "rule 13: told to exit, not yet gone");
        });

        Assert.That(e.OnLockHelperExited(attempt, S(0.2), View()), Is.Empty);
        Assert.That(e.LockPhase, Is.EqualTo(ClusterLockPhase.None));
    }

    [Test]
    public void Held_only_after_0_and_not_after_the_helper_exits()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));
        var heldWhilePending = e.IsLockHeld;

        e.OnLockHelperAnswered(attempt, (byte)'0', S(1), View());
        var heldAfterZero = e.IsLockHeld;

        var lost = e.OnLockHelperExited(attempt, S(30), View());

        Assert.Multiple(() =>
        {
            Assert.That(heldWhilePending, Is.False, "rule 11: an attempt in progress is not held");
            Assert.That(heldAfterZero, Is.True);
            Assert.That(e.IsLockHeld, Is.False, "the helper exited: not held");
            Assert.That(lost.LogTexts().Take(2), Is.EqualTo(Expect.Lines("Cluster lock helper terminated", "Start election")));
            Assert.That(lost.Single<RecdAction.SetRecoveryModeActive>().ResultTicket, Is.Not.Null, "B91 forces an election");
        });
    }

    [Test]
    public void Stock_held_counts_a_pending_attempt()
    {
        var e = new LeaderElection(Locked(1), new DecisionOptions { StrictLockHeld = false });
        StartLockRace(e, S(0));
        Assert.That(e.IsLockHeld, Is.True);
    }

    [Test]
    public void Lost_lock_on_a_node_that_cannot_lead_starts_no_election()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));
        e.OnLockHelperAnswered(attempt, (byte)'0', S(1), View());

        var lost = e.OnLockHelperExited(attempt, S(2), View(ownFlags: NodeFlags.Banned));

        Assert.That(lost.LogTexts(), Is.EqualTo(Expect.Lines("Cluster lock helper terminated")));
    }

    [Test]
    public void Helper_exit_before_any_answer_is_an_unknown_error()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));

        var actions = e.OnLockHelperExited(attempt, S(0.5), View());

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Unable to take cluster lock - unknown error")));
            Assert.That(e.IsElectionInProgress, Is.False);
            Assert.That(e.Leader, Is.EqualTo(Unknown));
        });
    }

    /// <summary>
    /// Once reported as an unknown answer, a helper that never started left the lock waiting
    /// for its exit (rule 13), so the election never ended and every later race was put off.
    /// </summary>
    [Test]
    public void Helper_that_could_not_be_started_fails_the_attempt_and_frees_the_lock_at_once()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));

        var actions = e.OnLockHelperNotStarted(attempt, "spawning it failed", View());

        Assert.Multiple(() =>
        {
            Assert.That(actions.OfType<RecdAction.Log>().Single().Line.RenderedText, Is.EqualTo(
                "Unable to take cluster lock - unknown error (cause: the mutex helper was not started: spawning it failed (node 1))"));
            Assert.That(actions.OfType<RecdAction.TerminateLockHelper>(), Is.Empty, "there is no helper to stop");
            Assert.That(e.LockPhase, Is.EqualTo(ClusterLockPhase.None));
            Assert.That(e.IsElectionInProgress, Is.False);
            Assert.That(e.Leader, Is.EqualTo(Unknown));
        });

        var next = StartLockRace(e, S(1));
        Assert.That(next, Is.Not.EqualTo(attempt), "the next race starts a helper of its own");
        Assert.That(e.OnLockHelperNotStarted(attempt, "late", View()), Is.Empty, "a report about an abandoned attempt is ignored");
    }

    [Test]
    public void Attempt_times_out_after_120_seconds()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(10));

        Assert.That(e.LockAttemptDeadline, Is.EqualTo(S(130)));
        Assert.That(e.OnTimersDue(S(129.9), View()), Is.Empty);
        var actions = e.OnTimersDue(S(130), View());

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Unable to take cluster lock - timeout")));
            Assert.That(actions.Single<RecdAction.TerminateLockHelper>().AttemptId, Is.EqualTo(attempt));
            Assert.That(e.IsElectionInProgress, Is.False);
        });
    }

    [Test]
    public void Reports_about_an_abandoned_attempt_are_ignored()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));
        e.OnLockHelperAnswered(attempt, (byte)'1', S(1), View());

        Assert.Multiple(() =>
        {
            Assert.That(e.OnLockHelperAnswered(attempt, (byte)'0', S(2), View()), Is.Empty);
            Assert.That(e.OnLockHelperExited(attempt, S(2), View()), Is.Empty);
            Assert.That(e.IsLockHeld, Is.False);
        });
    }

    [Test]
    public void Holder_keeps_leadership_in_a_later_lock_election_without_a_new_helper()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));
        e.OnLockHelperAnswered(attempt, (byte)'0', S(1), View());
        e.OnLeaderBroadcast(2, S(2), View()); // a stale broadcast makes it step back (B75)

        var actions = e.OnLeaderBroadcast(Unknown, S(3), View());

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Taking part in election")), "no lock action: the holder keeps it");
            Assert.That(e.Leader, Is.EqualTo(1u), "B84: the holder is leader again");
            Assert.That(e.IsElectionInProgress, Is.False);
        });
    }

    [Test]
    public void Node_that_cannot_lead_releases_a_held_lock_in_a_lock_election()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));
        e.OnLockHelperAnswered(attempt, (byte)'0', S(1), View());
        e.OnLeaderBroadcast(2, S(2), View());

        var actions = e.OnLeaderBroadcast(Unknown, S(3), View(caps: CtdbCapabilities.Lmaster));

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Taking part in election", "Releasing cluster lock")));
            Assert.That(actions.Single<RecdAction.TerminateLockHelper>(), Is.EqualTo(new RecdAction.TerminateLockHelper(attempt, false)));
            Assert.That(e.IsElectionInProgress, Is.False);
        });
    }

    [Test]
    [Description("bug 16152, §3.2 rules 8-10")]
    public void Own_unknown_echo_during_a_lock_race_does_not_rearm_the_leader_timeout()
    {
        var e = new LeaderElection(Locked(1));
        StartLockRace(e, S(0));

        var echo = e.OnLeaderBroadcast(Unknown, S(0.01), View());

        Assert.Multiple(() =>
        {
            Assert.That(echo, Is.Empty);
            Assert.That(e.LeaderTimeoutDeadline, Is.Null);
            Assert.That(e.NextDeadline, Is.EqualTo(S(120)), "only the lock attempt limit is armed");
        });
    }

    [Test]
    [Description("bug 16152, §3.2 rules 8, 9, 12")]
    public void Second_trigger_during_a_pending_lock_attempt_does_nothing_but_log_once()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));
        e.OnLeaderBroadcast(Unknown, S(0.01), View());
        e.EnsureLeaderTimeout(S(1)); // the main loop must not re-arm during an election either

        var timeout = e.OnTimersDue(S(10), View());
        var forced = e.ForceElection(View());

        Assert.Multiple(() =>
        {
            Assert.That(timeout, Is.Empty, "no timeout can be armed, so none fires");
            Assert.That(forced.LogTexts(), Is.EqualTo(Expect.Lines("Election already in progress - not starting another election")));
            Assert.That(forced.WithoutLogs(), Is.Empty, "no recovery mode, no broadcast, no second helper");
            Assert.That(e.LockAttemptId, Is.EqualTo(attempt));
        });
    }

    [Test]
    [Description("bug 16152 reproduced with the guard switched off")]
    public void Without_the_guard_the_echo_rearms_and_a_nested_election_starts_a_second_helper()
    {
        var e = new LeaderElection(Locked(1), new DecisionOptions { NestedElectionGuard = false });
        var first = StartLockRace(e, S(0));

        e.OnLeaderBroadcast(Unknown, S(0.01), View());
        Assert.That(e.LeaderTimeoutDeadline, Is.EqualTo(S(5.01)), "4.22.6: the own echo re-arms the timeout");

        var nested = e.OnTimersDue(S(5.01), View());
        Assert.That(nested.LogTexts(), Is.EqualTo(Expect.Lines("Leader broadcast timeout", "Start election")));
        var ticket = nested.Single<RecdAction.SetRecoveryModeActive>().ResultTicket!.Value;
        var second = e.OnRecoveryModeActivated(ticket, true, S(5.02), View());

        Assert.Multiple(() =>
        {
            Assert.That(second.Single<RecdAction.BroadcastLeader>().Pnn, Is.EqualTo(Unknown), "UNKNOWN sent again");
            var take = second.Single<RecdAction.TakeClusterLock>();
            Assert.That(take.AttemptId, Is.Not.EqualTo(first), "a second helper while the first runs");
            Assert.That(second.OfType<RecdAction.TerminateLockHelper>(), Is.Empty, "the first handle is leaked");
        });
    }

    [Test]
    [Description("bug 16152: 4.22.6's fake 'held' makes the nested election declare leadership without the lock")]
    public void Stock_nested_election_declares_leadership_while_the_attempt_is_still_pending()
    {
        var e = new LeaderElection(Locked(1), DecisionOptions.Stock4226);
        StartLockRace(e, S(0));
        e.OnLeaderBroadcast(Unknown, S(0.01), View());
        var nested = e.OnTimersDue(S(5.01), View());
        var ticket = nested.Single<RecdAction.SetRecoveryModeActive>().ResultTicket!.Value;

        var second = e.OnRecoveryModeActivated(ticket, true, S(5.02), View());

        Assert.Multiple(() =>
        {
            Assert.That(second.OfType<RecdAction.TakeClusterLock>(), Is.Empty);
            Assert.That(e.Leader, Is.EqualTo(1u));
            Assert.That(e.LockPhase, Is.EqualTo(ClusterLockPhase.Attempting), "leader although the helper never answered");
            Assert.That(e.IsElectionInProgress, Is.False);
        });
    }

    [Test]
    public void Unknown_from_a_peer_during_the_own_recovery_mode_round_joins_one_race()
    {
        var e = new LeaderElection(Locked(1));
        e.OnLeaderBroadcast(2, S(0), View());
        var ticket = e.ForceElection(View()).Single<RecdAction.SetRecoveryModeActive>().ResultTicket!.Value;

        var peer = e.OnLeaderBroadcast(Unknown, S(1.1), View());
        var own = e.OnRecoveryModeActivated(ticket, true, S(1.2), View());

        Assert.Multiple(() =>
        {
            Assert.That(peer.OfType<RecdAction.TakeClusterLock>().Count() + own.OfType<RecdAction.TakeClusterLock>().Count(), Is.EqualTo(1));
            Assert.That(own.Single<RecdAction.BroadcastLeader>().Pnn, Is.EqualTo(Unknown));
        });
    }

    [Test]
    public void Sigterm_cancels_a_pending_attempt_and_releases_a_held_lock()
    {
        var pending = new LeaderElection(Locked(1));
        var attempt = StartLockRace(pending, S(0));
        var cancel = pending.OnSigterm(S(1), View(), resign: false);

        var held = new LeaderElection(Locked(1));
        var heldAttempt = StartLockRace(held, S(0));
        held.OnLockHelperAnswered(heldAttempt, (byte)'0', S(0.1), View());
        var release = held.OnSigterm(S(1), View(), resign: false);

        Assert.Multiple(() =>
        {
            Assert.That(cancel.LogTexts(), Is.EqualTo(Expect.Lines("Received SIGTERM, exiting", "Cancelling cluster lock")));
            Assert.That(cancel.Single<RecdAction.TerminateLockHelper>().AttemptId, Is.EqualTo(attempt));
            Assert.That(release.LogTexts(), Is.EqualTo(Expect.Lines("Received SIGTERM, exiting", "Releasing cluster lock")));
            Assert.That(held.IsLockHeld, Is.False);
        });
    }

    [Test]
    public void Sigterm_with_resignation_resigns_and_waits_for_the_helper()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));
        e.OnLockHelperAnswered(attempt, (byte)'0', S(0.1), View());

        var actions = e.OnSigterm(S(1), View(), resign: true);

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts().Take(2), Is.EqualTo(Expect.Lines("Received SIGTERM, exiting", "Resigning as leader (shutting down)")));
            Assert.That(actions.Single<RecdAction.TerminateLockHelper>(), Is.EqualTo(new RecdAction.TerminateLockHelper(attempt, true)));
            Assert.That(actions.Single<RecdAction.BroadcastLeader>().Pnn, Is.EqualTo(Unknown));
            Assert.That(actions.OfType<RecdAction.BroadcastElection>(), Is.Empty);
        });
    }
}
