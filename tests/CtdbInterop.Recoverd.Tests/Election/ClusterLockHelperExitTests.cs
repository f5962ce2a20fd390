using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using CtdbInterop.Recoverd.Core.Resignation;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Election;

/// <summary>
/// When the mutex helper's exit is seen against when it is acted upon (§3.2 rules 12-13, B91).
/// Both cases were found by the simulator: seed 1920 (a lost lock still believed held while an
/// action to a slow peer ran) and seed 4513 (a new attempt asked for while the terminated helper
/// of the previous one had not exited, "Cluster mutex helper still running").
/// </summary>
[Description("recoverd-behaviours B88, B90, B91; §3.2 rules 11-13")]
public class ClusterLockHelperExitTests
{
    private const uint Unknown = CtdbConstants.UnknownPnn;

    [Test]
    public void A_lost_lock_stops_counting_as_held_the_moment_the_exit_is_seen()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));
        e.OnLockHelperAnswered(attempt, (byte)'0', S(0.1), View());

        var seen = e.OnLockHelperGone(attempt);
        var heldBeforeDecision = e.IsLockHeld;
        var decided = e.OnLockHelperExited(attempt, S(1.5), View());

        Assert.Multiple(() =>
        {
            Assert.That(seen.Select(l => l.RenderedText), Has.Exactly(1).StartsWith("Cluster lock helper terminated"));
            Assert.That(heldBeforeDecision, Is.False, "believed held while another node may take it (seed 1920)");
            Assert.That(decided.LogTexts(), Has.None.EqualTo("Cluster lock helper terminated"), "logged once");
            Assert.That(decided.Single<RecdAction.SetRecoveryModeActive>().ResultTicket, Is.Not.Null, "B91 still forces the election");
            Assert.That(e.LockPhase, Is.EqualTo(ClusterLockPhase.None));
        });
    }

    [Test]
    public void An_exit_seen_for_a_helper_that_never_held_changes_nothing_at_once()
    {
        var e = new LeaderElection(Locked(1));
        var attempt = StartLockRace(e, S(0));

        Assert.Multiple(() =>
        {
            Assert.That(e.OnLockHelperGone(attempt), Is.Empty);
            Assert.That(e.LockPhase, Is.EqualTo(ClusterLockPhase.Attempting));
            Assert.That(e.OnLockHelperGone(attempt + 1), Is.Empty, "another attempt's report");
        });
    }

    [Test]
    public void A_new_race_waits_for_the_terminated_helper_to_exit()
    {
        var e = new LeaderElection(Locked(1));
        var first = StartLockRace(e, S(0));
        e.OnLockHelperAnswered(first, (byte)'1', S(0.1), View());

        // The holder announces itself, then another node's election reaches this node, both
        // before the contended helper has exited.
        e.OnLeaderBroadcast(2, S(0.1), View());
        var joined = e.OnLeaderBroadcast(Unknown, S(0.1), View());
        var inProgressWhileWaiting = e.IsElectionInProgress;
        var atExit = e.OnLockHelperExited(first, S(0.15), View());

        Assert.Multiple(() =>
        {
            Assert.That(joined.OfType<RecdAction.TakeClusterLock>(), Is.Empty, "rule 12: never a second helper");
            Assert.That(inProgressWhileWaiting, Is.True, "the election waits for the exit, it has not ended");
            Assert.That(atExit.Single<RecdAction.TakeClusterLock>().AttemptId, Is.Not.EqualTo(first));
            Assert.That(e.LockPhase, Is.EqualTo(ClusterLockPhase.Attempting));
        });
    }

    [Test]
    public void A_waiting_race_is_dropped_when_the_node_can_no_longer_lead_at_the_exit()
    {
        var e = new LeaderElection(Locked(1));
        var first = StartLockRace(e, S(0));
        e.OnLockHelperAnswered(first, (byte)'1', S(0.1), View());
        e.OnLeaderBroadcast(2, S(0.1), View());
        e.OnLeaderBroadcast(Unknown, S(0.1), View());

        var atExit = e.OnLockHelperExited(first, S(0.15), View(ownFlags: NodeFlags.Stopped));

        Assert.Multiple(() =>
        {
            Assert.That(atExit.OfType<RecdAction.TakeClusterLock>(), Is.Empty);
            Assert.That(e.IsElectionInProgress, Is.False);
            Assert.That(e.LockPhase, Is.EqualTo(ClusterLockPhase.None));
        });
    }

    [Test]
    public void Resigning_forgets_a_race_that_waits_for_an_exit()
    {
        var e = new LeaderElection(Locked(1));
        var first = StartLockRace(e, S(0));
        e.OnLockHelperAnswered(first, (byte)'0', S(0.1), View());
        var resign = e.Resign(new ResignReason(ResignCause.NodeInactive, NodeFlags.Stopped), S(1), View(ownFlags: NodeFlags.Stopped));

        var atExit = e.OnLockHelperExited(first, S(1.2), View());

        Assert.Multiple(() =>
        {
            Assert.That(resign.Single<RecdAction.TerminateLockHelper>().WaitForExit, Is.True);
            Assert.That(e.LockPhase, Is.EqualTo(ClusterLockPhase.None));
            Assert.That(atExit, Is.Empty, "a released lock's exit is no loss");
        });
    }

    [Test]
    public void Stock_4_22_6_forgets_the_terminated_helper_at_once()
    {
        var e = new LeaderElection(Locked(1), DecisionOptions.Stock4226);
        var first = StartLockRace(e, S(0));
        e.OnLockHelperAnswered(first, (byte)'1', S(0.1), View());
        e.OnLeaderBroadcast(2, S(0.1), View());

        var joined = e.OnLeaderBroadcast(Unknown, S(0.1), View());

        Assert.That(joined.OfType<RecdAction.TakeClusterLock>(), Has.Exactly(1).Items, "4.22.6 starts the next helper at once");
    }
}
