using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using CtdbInterop.Recoverd.Core.Gates;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.MainLoop;
using CtdbInterop.Recoverd.Core.Recovery;
using CtdbInterop.Recoverd.Core.Resignation;
using CtdbInterop.Recoverd.Core.Takeover;
using CtdbInterop.Recoverd.Tests.Support;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Causes;

/// <summary>Issue 10: the core attaches the cause to the decision's log line, as data.</summary>
public class DecisionCauseTests
{
    private const uint Unknown = CtdbConstants.UnknownPnn;

    private static LogLine LineWithCause(IEnumerable<RecdAction> actions, DecisionKind kind) =>
        actions.OfType<RecdAction.Log>().Select(l => l.Line).Single(l => l.Cause?.Kind == kind);

    [Test]
    public void Recovery_cause_names_check_node_and_both_values()
    {
        var cause = new RecoveryCause(RecoveryCheck.VnnMapGenerationMismatch, "B38", 2, 5, 7, 2);
        var decision = cause.ToDecision();
        Assert.Multiple(() =>
        {
            Assert.That(cause.Describe(), Is.EqualTo("vnn map generation differs on node 2, 5 vs 7 [B38]"));
            Assert.That(decision.Kind, Is.EqualTo(DecisionKind.Recovery));
            Assert.That(decision.Check, Is.EqualTo("vnnmap_generation_mismatch"));
            Assert.That((decision.Node, decision.Observed, decision.Expected), Is.EqualTo(((uint?)2, "5", "7")));
        });
    }

    [Test]
    public void Recovery_check_labels_are_distinct_and_cover_every_check()
    {
        var labels = Enum.GetValues<RecoveryCheck>().Select(RecoveryCause.Labels.Of).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(labels, Is.Unique);
            Assert.That(labels, Has.None.EqualTo("other"));
            Assert.That(RecoveryCause.Labels.All, Is.EqualTo(labels));
            Assert.That(labels, Has.All.Matches<string>(l => l.All(c => c is (>= 'a' and <= 'z') or '_')));
        });
    }

    [Test]
    public void Starting_do_recovery_carries_the_cause_of_the_leader_checks()
    {
        var cause = new RecoveryCause(RecoveryCheck.NodeInRecoveryMode, "B32", 1, (long)CtdbRecoveryMode.Active, (long)CtdbRecoveryMode.Normal);
        var procedure = new RecoveryProcedure(Classic(0), OperationGate.Recoveries(), new CulpritTable(), new FixedRandom(1), Memory(HealthyMap(3)), cause: cause);

        var step = procedure.Start(new RecoveryEnvironment(0, false, false, false, S(1), RecdTunables.Defaults));
        var line = LineWithCause(step.Actions, DecisionKind.Recovery);

        Assert.Multiple(() =>
        {
            Assert.That(line.Text, Is.EqualTo("Starting do_recovery"), "the C daemon's wording stays");
            Assert.That(line.RenderedText, Is.EqualTo("Starting do_recovery (cause: node 1 is in recovery mode ACTIVE, expected NORMAL [B32])"));
            Assert.That(line.Cause!.Check, Is.EqualTo("node_in_recovery_mode"));
        });
    }

    [Test]
    public void Refusal_says_the_own_flags_became_stopped_since_the_node_map_read()
    {
        var procedure = new RecoveryProcedure(Classic(0), OperationGate.Recoveries(), new CulpritTable(), new FixedRandom(1), Memory(HealthyMap(3)));
        var env = new RecoveryEnvironment(0, false, false, false, S(1), RecdTunables.Defaults);
        procedure.Start(env);

        var step = procedure.OnOwnStateFetched(Fetch.Ok(Map(NodeFlags.Stopped, 0, 0)), Fetch.Ok(DefaultCaps), env);
        var line = LineWithCause(step.Actions, DecisionKind.RecoveryRefused);

        Assert.Multiple(() =>
        {
            Assert.That(line.Text, Is.EqualTo("This node can no longer be leader, abort recovery"));
            Assert.That(line.Cause!.Check, Is.EqualTo("inactive"));
            Assert.That(line.Cause.Text, Is.EqualTo("own flags became STOPPED (0x20) between node-map read (OK) and recovery start on node 0"));
            Assert.That((line.Cause.Observed, line.Cause.Expected), Is.EqualTo(("STOPPED", "active")));
            Assert.That(step.Outcome!.Resign, Is.EqualTo(new ResignReason(ResignCause.NodeInactive, NodeFlags.Stopped)));
        });
    }

    [Test]
    public void Refusal_for_flags_already_inactive_names_the_flags_read()
    {
        var verdict = (RecoveryVerdict.Refused)RecoveryGuard.MayRecover(
            Fetch.Ok(NodeFlags.Banned | NodeFlags.Unhealthy), DefaultCaps, 1, 1, cachedOwnFlags: NodeFlags.Banned);

        Assert.That(
            verdict.Logs.Single().RenderedText,
            Is.EqualTo("This node can no longer be leader, abort recovery (cause: own flags are UNHEALTHY|BANNED (0xa) at recovery start on node 1, expected no inactive flag)"));
    }

    [Test]
    public void Refusal_without_the_leader_capability_is_labelled_so()
    {
        var verdict = (RecoveryVerdict.Refused)RecoveryGuard.MayRecover(Fetch.Ok<NodeFlags>(0), CtdbCapabilities.Lmaster, 1, 1);
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Logs.Single().Cause!.Check, Is.EqualTo("no_leader_capability"));
            Assert.That(verdict.Logs.Single().Cause!.Expected, Is.EqualTo("RECMASTER"));
        });
    }

    [Test]
    public void Leader_timeout_election_names_the_silent_leader()
    {
        var e = new LeaderElection(Classic(0) with { LeaderTimeout = S(5) });
        e.OnLeaderBroadcast(2, S(0), View());

        var line = LineWithCause(e.OnTimersDue(S(5.5), View()), DecisionKind.Election);

        Assert.Multiple(() =>
        {
            Assert.That(line.Text, Is.EqualTo("Start election"));
            Assert.That(line.Cause!.Check, Is.EqualTo("leader_timeout"));
            Assert.That(line.Cause.Text, Is.EqualTo("no leader broadcast from leader 2 within 5 s on node 0"));
        });
    }

    [Test]
    public void Unknown_broadcast_is_a_joined_election_naming_the_previous_leader()
    {
        var e = new LeaderElection(Locked(1));
        e.OnLeaderBroadcast(0, S(0), View());

        var actions = e.OnLeaderBroadcast(Unknown, S(1), View());
        var line = LineWithCause(actions, DecisionKind.ElectionJoined);

        Assert.Multiple(() =>
        {
            Assert.That(line.Text, Is.EqualTo("Taking part in election"));
            Assert.That(line.Cause!.Check, Is.EqualTo("leader_unknown_broadcast"));
            Assert.That(line.Cause.Text, Does.Contain("leader 0 resigned"));
            Assert.That(e.OnLeaderBroadcast(Unknown, S(1.1), View()).LogTexts(), Has.None.EqualTo("Taking part in election"), "counted once per election");
        });
    }

    [Test]
    public void Winning_the_lock_race_is_a_leader_change_from_the_previous_leader()
    {
        var e = new LeaderElection(Locked(1));
        e.OnLeaderBroadcast(0, S(0), View());
        var take = e.OnLeaderBroadcast(Unknown, S(1), View()).OfType<RecdAction.TakeClusterLock>().Single();

        var actions = e.OnLockHelperAnswered(take.AttemptId, (byte)'0', S(2), View());

        Assert.Multiple(() =>
        {
            Assert.That(LineWithCause(actions, DecisionKind.LeaderChanged).RenderedText,
                Is.EqualTo("Took cluster lock, leader=1 (cause: node 1 won the cluster lock race, leader was 0)"));
            Assert.That(LineWithCause(actions, DecisionKind.ClusterLock).Cause!.Check, Is.EqualTo("taken"));
        });
    }

    [Test]
    public void Lock_contention_and_loss_are_cluster_lock_events()
    {
        var e = new LeaderElection(Locked(1));
        e.OnLeaderBroadcast(2, S(0), View());
        var first = e.OnLeaderBroadcast(Unknown, S(0.5), View()).OfType<RecdAction.TakeClusterLock>().Single();
        var contention = LineWithCause(e.OnLockHelperAnswered(first.AttemptId, (byte)'1', S(1), View()), DecisionKind.ClusterLock);
        e.OnLockHelperExited(first.AttemptId, S(1.5), View());

        e.OnLeaderBroadcast(2, S(2), View());
        var second = e.OnLeaderBroadcast(Unknown, S(3), View()).OfType<RecdAction.TakeClusterLock>().Single();
        e.OnLockHelperAnswered(second.AttemptId, (byte)'0', S(4), View());
        var lost = e.OnLockHelperExited(second.AttemptId, S(5), View());

        Assert.Multiple(() =>
        {
            Assert.That(contention.Text, Is.EqualTo("Unable to take cluster lock - contention"));
            Assert.That(contention.Cause!.Check, Is.EqualTo("contention"));
            Assert.That(LineWithCause(lost, DecisionKind.ClusterLock).Cause!.Check, Is.EqualTo("lost"));
            Assert.That(LineWithCause(lost, DecisionKind.Election).Cause!.Check, Is.EqualTo("cluster_lock_lost"));
        });
    }

    [Test]
    public void Resignation_carries_the_flag_names()
    {
        var actions = ResignationPlan.Create(true, ResignReason.CannotLead(NodeFlags.Stopped), NodeFlags.Stopped, 0, Wall(1));
        var line = LineWithCause(actions, DecisionKind.Resignation);
        Assert.Multiple(() =>
        {
            Assert.That(line.Text, Is.EqualTo("Resigning as leader (this node is inactive, flags=0x20)"));
            Assert.That(line.Cause!.Check, Is.EqualTo("inactive"));
            Assert.That(line.Cause.Observed, Is.EqualTo("STOPPED"));
        });
    }

    [Test]
    public void Culprit_ban_names_credits_and_threshold()
    {
        var culprits = new CulpritTable();
        var map = HealthyMap(3);
        for (var i = 0; i < 6; i++)
        {
            culprits.Add(2, 1, map, 0, S(i), 1000);
        }

        var round = MisbehavingNodes.Ban(culprits, 3, 0, 3, 300);
        var line = LineWithCause(round.Actions, DecisionKind.Ban);

        Assert.Multiple(() =>
        {
            Assert.That(line.Text, Is.EqualTo("Banning node 2 for 300 seconds"));
            Assert.That(line.Cause!.Check, Is.EqualTo("culprit_credits"));
            Assert.That((line.Cause.Node, line.Cause.Observed, line.Cause.Expected), Is.EqualTo(((uint?)2, "6", "< 6")));
        });
    }

    [Test]
    public void Takeover_run_for_queued_requests_says_so()
    {
        var step = TakeoverRun.Begin(OperationGate.TakeoverRuns(), new RebalanceTargets(), HealthyMap(3), 0, TakeoverCauses.Requested(0));
        var line = LineWithCause(step.Actions, DecisionKind.TakeoverRun);
        Assert.Multiple(() =>
        {
            Assert.That(line.Text, Is.EqualTo("Takeover run starting"));
            Assert.That(line.Cause!.Check, Is.EqualTo("requested"));
        });
    }

    [Test]
    public void Helper_failure_without_a_result_is_labelled_failed_for_its_helper()
    {
        var line = HelperFailureCauses.Line(HelperName.Recovery, HelperFailureKind.Failed, 1, 32);
        Assert.Multiple(() =>
        {
            Assert.That(line.Text, Is.EqualTo("Recovery helper failed"));
            Assert.That((line.Cause!.Subject, line.Cause.Check), Is.EqualTo(("recovery", "failed")));
            Assert.That(line.Cause.Text, Does.Contain("without a result (EPIPE)"));
        });
    }
}
