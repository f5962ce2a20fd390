using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using CtdbInterop.Recoverd.Core.Resignation;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Resignation;

[Description("recoverd-behaviours §3.3")]
public class ResignationPlanTests
{
    private const uint Unknown = CtdbConstants.UnknownPnn;
    private static readonly ResignReason Stopped = new(ResignCause.NodeInactive, NodeFlags.Stopped);

    private static string Kinds(IEnumerable<RecdAction> actions) =>
        string.Join(",", actions.Select(a => a is RecdAction.Log ? "Log" : a.GetType().Name));

    [Test]
    public void Lock_mode_order_releases_and_waits_before_the_one_unknown_broadcast_and_never_sends_election()
    {
        var actions = ResignationPlan.Create(lockMode: true, Stopped, NodeFlags.Stopped, 2, new WallTime(9, 0), lockHelperAttempt: 7, lockHelperHeld: true);

        Assert.Multiple(() =>
        {
            Assert.That(Kinds(actions), Is.EqualTo(
                "Log,CancelQueuedLeaderBroadcasts,DropTakeoverRequests,AbortRunningHelper,Log,TerminateLockHelper,BroadcastLeader"));
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Resigning as leader (this node is inactive, flags=0x20)", "Releasing cluster lock")));
            Assert.That(actions.Single<RecdAction.TerminateLockHelper>(), Is.EqualTo(new RecdAction.TerminateLockHelper(7, WaitForExit: true)));
            Assert.That(actions.Single<RecdAction.BroadcastLeader>().Pnn, Is.EqualTo(Unknown), "never a successor PNN");
            Assert.That(actions.OfType<RecdAction.BroadcastElection>(), Is.Empty);
        });
    }

    [Test]
    public void Lock_mode_with_a_pending_attempt_cancels_it()
    {
        var actions = ResignationPlan.Create(true, Stopped, NodeFlags.Stopped, 2, new WallTime(9, 0), lockHelperAttempt: 3, lockHelperHeld: false);
        Assert.That(actions.LogTexts(), Has.Member("Cancelling cluster lock"));
    }

    [Test]
    public void Classic_mode_sends_one_unknown_then_one_losing_election_with_the_inactive_flags()
    {
        var now = new WallTime(1234, 5);
        var actions = ResignationPlan.Create(lockMode: false, Stopped, NodeFlags.Banned, 2, now);

        Assert.Multiple(() =>
        {
            Assert.That(Kinds(actions), Is.EqualTo("Log,CancelQueuedLeaderBroadcasts,DropTakeoverRequests,AbortRunningHelper,BroadcastLeader,BroadcastElection"));
            Assert.That(actions.Single<RecdAction.BroadcastLeader>().Pnn, Is.EqualTo(Unknown));
            Assert.That(actions.Single<RecdAction.BroadcastElection>().Data, Is.EqualTo(new ElectionData(0, now, 2, NodeFlags.Banned)));
        });
    }

    [Test]
    public void Classic_mode_sets_stopped_when_the_flags_have_no_inactive_bit()
    {
        var now = new WallTime(1234, 5);
        var reason = new ResignReason(ResignCause.LeaderCapabilityWithdrawn);
        var actions = ResignationPlan.Create(false, reason, NodeFlags.Unhealthy, 2, now);

        Assert.Multiple(() =>
        {
            Assert.That(actions.Single<RecdAction.BroadcastElection>().Data.NodeFlags, Is.EqualTo(NodeFlags.Unhealthy | NodeFlags.Stopped));
            Assert.That(actions.LogTexts()[0], Is.EqualTo("Resigning as leader (this node no longer has the leader capability)"));
        });
    }

    [Test]
    public void Optional_recovery_mode_step_targets_other_nodes_and_precedes_the_broadcast()
    {
        var actions = ResignationPlan.Create(true, Stopped, NodeFlags.Stopped, 1, new WallTime(0, 0), activateRecoveryModeOn: [0, 1, 2]);

        var kinds = Kinds(actions).Split(',');
        Assert.Multiple(() =>
        {
            Assert.That(actions.Single<RecdAction.SetRecoveryModeActive>().Nodes, Is.EqualTo(Expect.Pnns(0, 2)));
            Assert.That(actions.Single<RecdAction.SetRecoveryModeActive>().ResultTicket, Is.Null);
            Assert.That(Array.IndexOf(kinds, "SetRecoveryModeActive"), Is.LessThan(Array.IndexOf(kinds, "BroadcastLeader")));
        });
    }

    [Test]
    public void Election_resign_uses_its_lock_handle_and_forgets_leadership()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));
        e.OnLockHelperAnswered(attempt, (byte)'0', S(0.1), View());

        var actions = e.Resign(Stopped, S(2), View(ownFlags: NodeFlags.Stopped), activateRecoveryModeOnOthers: true);

        Assert.Multiple(() =>
        {
            Assert.That(actions.Single<RecdAction.TerminateLockHelper>(), Is.EqualTo(new RecdAction.TerminateLockHelper(attempt, true)));
            Assert.That(actions.Single<RecdAction.SetRecoveryModeActive>().Nodes, Is.EqualTo(Expect.Pnns(0, 2)));
            Assert.That(actions.OfType<RecdAction.BroadcastLeader>().Count(), Is.EqualTo(1));
            Assert.That(e.Leader, Is.EqualTo(Unknown));
            Assert.That(e.IsLockHeld, Is.False);
            Assert.That(e.LeaderTimeoutDeadline, Is.EqualTo(S(7)), "the leader timeout stays as the safety net");
        });
    }

    [Test]
    public void Resigning_during_its_own_election_sends_no_second_unknown()
    {
        // Simulator seed 498: a classic leader, stopped while its main loop waited on a slow peer,
        // timed out its own leader broadcasts and started an election; the resignation decided
        // next broadcast LEADER {UNKNOWN} again while that election was running.
        var e = new LeaderElection(Classic(1));
        e.OnLeaderBroadcast(1, S(0), View());
        var ticket = e.ForceElection(View()).Single<RecdAction.SetRecoveryModeActive>().ResultTicket!.Value;
        var started = e.OnRecoveryModeActivated(ticket, true, S(1), View(ownFlags: NodeFlags.Stopped));

        var actions = e.Resign(Stopped, S(1.5), View(ownFlags: NodeFlags.Stopped), activateRecoveryModeOnOthers: true);

        Assert.Multiple(() =>
        {
            Assert.That(started.OfType<RecdAction.BroadcastLeader>().Select(b => b.Pnn), Is.EqualTo(Expect.Pnns(Unknown)), "the election's own UNKNOWN");
            Assert.That(actions.LogTexts(), Has.Member("Resigning as leader (this node is inactive, flags=0x20)"));
            Assert.That(actions.OfType<RecdAction.BroadcastLeader>(), Is.Empty);
            Assert.That(actions.OfType<RecdAction.SetRecoveryModeActive>(), Is.Empty, "the election set recovery mode already");
            Assert.That(actions.Single<RecdAction.BroadcastElection>().Data.NodeFlags, Is.EqualTo(NodeFlags.Stopped), "still withdraws as a candidate");
            Assert.That(e.Leader, Is.EqualTo(Unknown));
        });
    }

    [Test]
    public void A_due_leader_timeout_starts_no_election_right_behind_the_resignation()
    {
        // Simulator seed 498 (second half): the leader's own leader timeout was already due when
        // its broadcast loop found it stopped; the resignation and then an election went out in
        // one decision, two LEADER {UNKNOWN} broadcasts.
        var e = new LeaderElection(Classic(1));
        e.OnLeaderBroadcast(1, S(0), View());
        e.EnsureBroadcastLoop(S(0));

        var actions = e.OnTimersDue(S(5.5), View(ownFlags: NodeFlags.Stopped));

        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Has.Member("Resigning as leader (this node is inactive, flags=0x20)"));
            Assert.That(actions.LogTexts(), Has.None.EqualTo("Start election"));
            Assert.That(actions.OfType<RecdAction.BroadcastLeader>().Count(), Is.EqualTo(1));
            Assert.That(e.LeaderTimeoutDeadline, Is.EqualTo(S(10.5)), "the safety net counts from the resignation");
        });
    }

    [Test]
    public void Resigning_when_not_leader_does_nothing()
    {
        var e = new LeaderElection(Classic(1));
        e.OnLeaderBroadcast(0, S(0), View());
        Assert.That(e.Resign(Stopped, S(1), View()), Is.Empty);
    }

    [Test]
    public void Resigned_leader_stops_broadcasting_its_pnn()
    {
        var e = new LeaderElection(Classic(1));
        e.OnLeaderBroadcast(1, S(0), View());
        e.EnsureBroadcastLoop(S(0));
        e.Resign(Stopped, S(0.5), View(ownFlags: NodeFlags.Stopped));

        var loop = e.OnBroadcastLoopDue(S(1), View(ownFlags: NodeFlags.Stopped));

        Assert.That(loop.OfType<RecdAction.BroadcastLeader>(), Is.Empty);
    }
}
