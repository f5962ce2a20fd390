using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using CtdbInterop.Recoverd.Core.Gates;
using CtdbInterop.Recoverd.Core.MainLoop;
using CtdbInterop.Recoverd.Core.Recovery;
using CtdbInterop.Recoverd.Core.Resignation;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Recovery;

[Description("recoverd-behaviours B46-B56, §3.2 rules 1-7, §7 latent issue 1")]
public class RecoveryProcedureTests
{
    private const uint Own = 0;

    private OperationGate _gate = null!;
    private CulpritTable _culprits = null!;
    private LoopMemory _memory = null!;
    private List<RecdAction> _actions = null!;

    private static FetchResult<IReadOnlyDictionary<uint, CtdbCapabilities>> AllCaps(NodeMapView map) =>
        Fetch.Ok<IReadOnlyDictionary<uint, CtdbCapabilities>>(map.ActivePnns().ToDictionary(p => p, _ => DefaultCaps));

    [SetUp]
    public void SetUp()
    {
        _gate = OperationGate.Recoveries();
        _culprits = new CulpritTable();
        _memory = Memory(HealthyMap(3), Own);
        _actions = [];
    }

    private static RecoveryEnvironment Env(uint leader = Own, bool election = false, bool lockConfigured = false, bool lockHeld = false) =>
        new(leader, election, lockConfigured, lockHeld, S(100), RecdTunables.Defaults);

    private RecoveryProcedure Create(DecisionOptions? options = null, IRandomSource? random = null) =>
        new(Classic(Own), _gate, _culprits, random ?? new FixedRandom(1, 4242), _memory, options);

    private RecoveryStep Keep(RecoveryStep step)
    {
        _actions.AddRange(step.Actions);
        Assert.That(step.Request is null, Is.EqualTo(step.Outcome is not null), "a step either waits or ends");
        return step;
    }

    /// <summary>Drives a procedure with healthy answers up to (not including) the request of type T.</summary>
    private RecoveryStep RunUntil<T>(RecoveryProcedure p, NodeMapView? freshMap = null)
        where T : RecoveryRequest
    {
        var step = Keep(p.Start(Env()));
        for (var i = 0; i < 10 && step.Request is not null and not T; i++)
        {
            step = Keep(step.Request switch
            {
                RecoveryRequest.FetchOwnState => p.OnOwnStateFetched(Fetch.Ok(freshMap ?? HealthyMap(3)), Fetch.Ok(DefaultCaps), Env()),
                RecoveryRequest.RefreshCapabilities r => p.OnCapabilitiesRefreshed(AllCaps(HealthyMap(3)), Env()),
                RecoveryRequest.PushFlags => p.OnFlagsPushed([], Env()),
                RecoveryRequest.RunRecoveryHelper => p.OnRecoveryHelperFinished(true, Env()),
                RecoveryRequest.RunTakeover => p.OnTakeoverRunFinished(true, Env()),
                RecoveryRequest.BroadcastReconfigure => p.OnReconfigureSent(true, Env()),
                _ => throw new InvalidOperationException(),
            });
        }

        return step;
    }

    [Test]
    public void Healthy_recovery_runs_every_step_in_order_and_suppresses_re_recovery()
    {
        _culprits.Add(2, 1, _memory.NodeMap, 0, S(90), 120);
        var p = Create();
        var requests = new List<string>();

        var step = Keep(p.Start(Env()));
        while (step.Request is { } request)
        {
            requests.Add(request.GetType().Name);
            step = Keep(request switch
            {
                RecoveryRequest.FetchOwnState => p.OnOwnStateFetched(Fetch.Ok(HealthyMap(3)), Fetch.Ok(DefaultCaps), Env()),
                RecoveryRequest.RefreshCapabilities r => p.OnCapabilitiesRefreshed(AllCaps(HealthyMap(3)), Env()),
                RecoveryRequest.PushFlags push => p.OnFlagsPushed([], Env()),
                RecoveryRequest.RunRecoveryHelper helper => p.OnRecoveryHelperFinished(true, Env()),
                RecoveryRequest.RunTakeover => p.OnTakeoverRunFinished(false, Env()),
                RecoveryRequest.BroadcastReconfigure => p.OnReconfigureSent(true, Env()),
                _ => throw new InvalidOperationException(),
            });
        }

        Assert.Multiple(() =>
        {
            Assert.That(requests, Is.EqualTo(Expect.Lines(
                "FetchOwnState", "RefreshCapabilities", "PushFlags", "FetchOwnState", "RunRecoveryHelper", "RunTakeover", "BroadcastReconfigure")));
            Assert.That(step.Outcome, Is.EqualTo(new RecoveryOutcome(true)));
            Assert.That(p.Generation, Is.EqualTo(4242u), "generation 1 is never used");
            Assert.That(_actions.LogTexts(), Is.EqualTo(Expect.Lines(
                "Starting do_recovery",
                "Recovery initiated due to problem with node 2",
                "Recovery - updated flags",
                "Recovery complete",
                "Resetting ban count to 0 for all nodes",
                "Just finished a recovery. New recoveries will now be suppressed for the rerecovery timeout (10 seconds)",
                "Disabling recoveries for 10 seconds")));
            Assert.That(step.Memory.NeedRecovery, Is.False);
            Assert.That(step.Memory.NeedTakeoverRun, Is.True, "the failed takeover run is remembered");
            Assert.That(_gate.IsInProgress, Is.False);
            Assert.That(_gate.ReenableDeadline, Is.EqualTo(S(110)));
            Assert.That(_culprits.Count, Is.Zero);
        });
    }

    [Test]
    public void Flag_push_covers_every_connected_entry_with_its_own_flags()
    {
        _memory = Memory(Map(0, NodeFlags.Disconnected, NodeFlags.Banned), Own);
        var p = Create();
        var step = RunUntil<RecoveryRequest.PushFlags>(p, Map(0, NodeFlags.Disconnected, NodeFlags.Banned));

        var pushes = ((RecoveryRequest.PushFlags)step.Request!).Pushes;
        Assert.That(pushes, Is.EqualTo(new[]
        {
            new RecdAction.PushNodeFlags(0, 0, 0, Expect.Pnns(0, 2)),
            new RecdAction.PushNodeFlags(2, NodeFlags.Banned, NodeFlags.Banned, Expect.Pnns(0, 2)),
        }).Using<RecdAction.PushNodeFlags>((a, b) => a.Pnn == b.Pnn && a.NewFlags == b.NewFlags && a.OldFlags == b.OldFlags && a.Targets.SequenceEqual(b.Targets)));
    }

    [Test]
    [Description("bug 16082: the leader was stopped between the node-map read and the recovery decision")]
    public void Inactive_leader_refuses_resigns_and_never_recovers()
    {
        var election = new LeaderElection(Classic(Own));
        election.OnLeaderBroadcast(Own, S(0), View());
        var p = Create();

        Keep(p.Start(Env()));
        var step = Keep(p.OnOwnStateFetched(Fetch.Ok(Map(NodeFlags.Stopped, 0, 0)), Fetch.Ok(DefaultCaps), Env()));
        var resignation = election.Resign(step.Outcome!.Resign!, S(100), View(ownFlags: NodeFlags.Stopped), activateRecoveryModeOnOthers: true);

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome, Is.EqualTo(new RecoveryOutcome(false, RecoveryFailure.CannotLead, new ResignReason(ResignCause.NodeInactive, NodeFlags.Stopped))));
            Assert.That(step.Request, Is.Null);
            Assert.That(_actions.LogTexts(), Is.EqualTo(Expect.Lines("Starting do_recovery", "This node can no longer be leader, abort recovery")));
            Assert.That(step.Memory.OwnFlags, Is.EqualTo(NodeFlags.Stopped), "rule 1: the fresh map replaces the cached one");
            Assert.That(step.Memory.NeedRecovery, Is.False, "need_recovery untouched");
            Assert.That(_gate.IsInProgress, Is.False);
            Assert.That(resignation.Single<RecdAction.SetRecoveryModeActive>().Nodes, Is.EqualTo(Expect.Pnns(1, 2)));
            Assert.That(resignation.Single<RecdAction.BroadcastLeader>().Pnn, Is.EqualTo(CtdbConstants.UnknownPnn));
            Assert.That(resignation.Single<RecdAction.BroadcastElection>().Data.NodeFlags, Is.EqualTo(NodeFlags.Stopped));
        });
    }

    [Test]
    [Description("bug 16082 reproduced with the re-check switched off")]
    public void Without_the_recheck_the_inactive_leader_runs_the_recovery_helper()
    {
        _memory = _memory with { OwnFlags = NodeFlags.Stopped };
        var p = Create(new DecisionOptions { RecheckBeforeRecovery = false });

        var step = RunUntil<RecoveryRequest.RunRecoveryHelper>(p);

        Assert.Multiple(() =>
        {
            Assert.That(step.Request, Is.InstanceOf<RecoveryRequest.RunRecoveryHelper>());
            Assert.That(_actions.LogTexts(), Does.Not.Contain("This node can no longer be leader, abort recovery"));
        });
    }

    [Test]
    [Description("§3.2 rule 5: stopped during the capability and flag rounds")]
    public void Second_check_before_the_helper_refuses_when_the_node_became_banned()
    {
        var p = Create();
        var step = RunUntil<RecoveryRequest.FetchOwnState>(p);
        step = Keep(p.OnOwnStateFetched(Fetch.Ok(HealthyMap(3)), Fetch.Ok(DefaultCaps), Env()));
        step = Keep(p.OnCapabilitiesRefreshed(AllCaps(HealthyMap(3)), Env()));
        step = Keep(p.OnFlagsPushed([], Env()));
        Assert.That(step.Request, Is.InstanceOf<RecoveryRequest.FetchOwnState>());

        step = Keep(p.OnOwnStateFetched(Fetch.Ok(Map(NodeFlags.Banned, 0, 0)), Fetch.Ok(DefaultCaps), Env()));

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.CannotLead));
            Assert.That(step.Outcome.Resign!.ObservedFlags, Is.EqualTo(NodeFlags.Banned));
            Assert.That(step.Memory.NeedRecovery, Is.True, "the next leader must still recover");
            Assert.That(_gate.IsInProgress, Is.False, "the gate is closed on every exit");
            Assert.That(p.Generation, Is.Null, "no helper was started");
        });
    }

    [Test]
    [Description("§3.2 rule 4: leader role withdrawn")]
    public void Fresh_capabilities_without_recmaster_refuse()
    {
        var p = Create();
        Keep(p.Start(Env()));
        var step = Keep(p.OnOwnStateFetched(Fetch.Ok(HealthyMap(3)), Fetch.Ok(CtdbCapabilities.Lmaster), Env()));

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.CannotLead));
            Assert.That(step.Outcome.Resign!.Cause, Is.EqualTo(ResignCause.LeaderCapabilityWithdrawn));
        });
    }

    [Test]
    [Description("§3.2 rule 2")]
    public void Failed_own_node_map_read_refuses_without_resigning()
    {
        var p = Create();
        Keep(p.Start(Env()));
        var step = Keep(p.OnOwnStateFetched(Fetch.Failed<NodeMapView>(), Fetch.Ok(DefaultCaps), Env()));

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome, Is.EqualTo(new RecoveryOutcome(false, RecoveryFailure.NodeMapFetchFailed)));
            Assert.That(_actions.LogTexts(), Has.Member("Unable to get nodemap from node 0"));
        });
    }

    [Test]
    public void Leader_change_before_the_start_aborts()
    {
        var p = Create();
        Keep(p.Start(Env()));
        var step = Keep(p.OnOwnStateFetched(Fetch.Ok(HealthyMap(3)), Fetch.Ok(DefaultCaps), Env(leader: 2)));

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.NotLeader));
            Assert.That(_actions.LogTexts(), Has.Member("Leader changed to 2, aborting recovery"));
        });
    }

    [Test]
    public void Disabled_recoveries_stop_after_marking_the_recovery_as_needed()
    {
        _gate.Disable(10, S(95));
        var p = Create();
        Keep(p.Start(Env()));
        var step = Keep(p.OnOwnStateFetched(Fetch.Ok(HealthyMap(3)), Fetch.Ok(DefaultCaps), Env()));

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.RecoveriesDisabled));
            Assert.That(step.Memory.NeedRecovery, Is.True);
            Assert.That(_actions.LogTexts(), Has.Member("Unable to begin - recoveries are disabled"));
        });
    }

    [Test]
    public void Election_in_progress_stops_and_closes_the_gate()
    {
        var p = Create();
        Keep(p.Start(Env()));
        var step = Keep(p.OnOwnStateFetched(Fetch.Ok(HealthyMap(3)), Fetch.Ok(DefaultCaps), Env(election: true)));

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.ElectionInProgress));
            Assert.That(_actions.LogTexts(), Has.Member("do_recovery called while election in progress - try again later"));
            Assert.That(_gate.IsInProgress, Is.False);
        });
    }

    [Test]
    public void Culprits_over_the_threshold_are_banned_and_a_self_ban_aborts()
    {
        _culprits.Add(Own, 6, _memory.NodeMap, 0, S(99), 120);
        _culprits.Add(2, 6, _memory.NodeMap, 0, S(99), 120);
        var p = Create();
        Keep(p.Start(Env()));
        var step = Keep(p.OnOwnStateFetched(Fetch.Ok(HealthyMap(3)), Fetch.Ok(DefaultCaps), Env()));

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.SelfBanned));
            Assert.That(step.Actions.OfType<RecdAction.BanNode>().Select(b => b.Pnn), Is.EqualTo(Expect.Pnns(0, 2)));
            Assert.That(_actions.LogTexts(), Has.Member("This node was banned, aborting recovery"));
        });
    }

    [Test]
    public void Lock_not_held_bans_this_node()
    {
        var p = Create();
        Keep(p.Start(Env()));
        var step = Keep(p.OnOwnStateFetched(Fetch.Ok(HealthyMap(3)), Fetch.Ok(DefaultCaps), Env(lockConfigured: true, lockHeld: false)));

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.ClusterLockNotHeld));
            Assert.That(step.Actions.Single<RecdAction.BanNode>(), Is.EqualTo(new RecdAction.BanNode(Own, 300)));
            Assert.That(_actions.LogTexts(), Has.Member("Cluster lock not held - abort recovery, ban node"));
        });
    }

    [Test]
    public void Lock_held_lets_the_recovery_go_on()
    {
        var p = Create();
        Keep(p.Start(Env()));
        var step = Keep(p.OnOwnStateFetched(Fetch.Ok(HealthyMap(3)), Fetch.Ok(DefaultCaps), Env(lockConfigured: true, lockHeld: true)));
        Assert.That(step.Request, Is.InstanceOf<RecoveryRequest.RefreshCapabilities>());
    }

    [Test]
    [Description("§7 latent issue 1: the gate is closed on the capability failure path")]
    public void Capability_failure_closes_the_gate_and_keeps_need_recovery()
    {
        var p = Create();
        RunUntil<RecoveryRequest.RefreshCapabilities>(p);

        var step = Keep(p.OnCapabilitiesRefreshed(Fetch.Failed<IReadOnlyDictionary<uint, CtdbCapabilities>>(), Env()));

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.CapabilitiesFailed));
            Assert.That(_gate.IsInProgress, Is.False);
            Assert.That(step.Memory.NeedRecovery, Is.True);
            Assert.That(_actions.LogTexts(), Has.Member("Unable to update node capabilities."));
        });
    }

    [Test]
    public void Failed_push_for_an_inactive_node_only_warns_but_for_an_active_node_fails()
    {
        _memory = Memory(Map(0, NodeFlags.Banned, 0), Own);
        var p = Create();
        RunUntil<RecoveryRequest.PushFlags>(p, Map(0, NodeFlags.Banned, 0));

        var step = Keep(p.OnFlagsPushed([1, 2], Env()));

        Assert.Multiple(() =>
        {
            Assert.That(step.Actions.LogTexts(), Is.EqualTo(Expect.Lines(
                "Unable to update flags on inactive node 1", "Unable to update flags on all nodes for node 2")));
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.FlagPushFailed));
            Assert.That(_gate.IsInProgress, Is.False);
        });
    }

    [Test]
    public void Helper_failure_fails_the_recovery_and_the_next_iteration_retries()
    {
        var p = Create();
        RunUntil<RecoveryRequest.RunRecoveryHelper>(p);
        var step = Keep(p.OnRecoveryHelperFinished(false, Env()));

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.HelperFailed));
            Assert.That(step.Memory.NeedRecovery, Is.True);
            Assert.That(_gate.IsInProgress, Is.False);
        });
    }

    [Test]
    public void Reconfigure_failure_fails_the_recovery()
    {
        var p = Create();
        RunUntil<RecoveryRequest.BroadcastReconfigure>(p);
        var step = Keep(p.OnReconfigureSent(false, Env()));

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.ReconfigureFailed));
            Assert.That(step.Actions.LogTexts(), Is.EqualTo(Expect.Lines("Failed to send reconfigure message")));
        });
    }

    [Test]
    [Description("B60 and §3.2 rule 6")]
    public void Helper_watch_aborts_on_leader_change_or_inactivity_and_ignores_failed_reads()
    {
        var p = Create();
        RunUntil<RecoveryRequest.RunRecoveryHelper>(p);

        var fine = p.CheckWhileHelperRuns(Fetch.Ok<NodeFlags>(0), Fetch.Ok(DefaultCaps), Own);
        var unreadable = p.CheckWhileHelperRuns(Fetch.Failed<NodeFlags>(), Fetch.Failed<CtdbCapabilities>(), Own);
        var moved = p.CheckWhileHelperRuns(Fetch.Ok<NodeFlags>(0), Fetch.Ok(DefaultCaps), 2);
        var stopped = p.CheckWhileHelperRuns(Fetch.Ok(NodeFlags.Stopped), Fetch.Ok(DefaultCaps), Own);
        var end = Keep(p.OnRecoveryHelperFinished(false, Env()));

        Assert.Multiple(() =>
        {
            Assert.That(fine.Abort, Is.False);
            Assert.That(unreadable.Abort, Is.False);
            Assert.That(moved.Abort, Is.True);
            Assert.That(moved.Logs.Texts(), Is.EqualTo(Expect.Lines("Leader changed to 2, aborting recovery")));
            Assert.That(moved.Resign, Is.Null);
            Assert.That(stopped.Abort, Is.True);
            Assert.That(stopped.Resign, Is.EqualTo(new ResignReason(ResignCause.NodeInactive, NodeFlags.Stopped)));
            Assert.That(end.Outcome, Is.EqualTo(new RecoveryOutcome(false, RecoveryFailure.CannotLead, stopped.Resign)));
        });
    }

    [Test]
    public void Helper_watch_without_the_recheck_only_watches_the_leader()
    {
        var p = Create(new DecisionOptions { RecheckBeforeRecovery = false });
        RunUntil<RecoveryRequest.RunRecoveryHelper>(p);
        Assert.That(p.CheckWhileHelperRuns(Fetch.Ok(NodeFlags.Stopped), Fetch.Ok(DefaultCaps), Own).Abort, Is.False);
    }

    [Test]
    public void Abandoning_closes_the_gate()
    {
        var p = Create();
        RunUntil<RecoveryRequest.RefreshCapabilities>(p);
        Assert.That(_gate.IsInProgress, Is.True);

        var step = p.Abandon();

        Assert.Multiple(() =>
        {
            Assert.That(step.Outcome!.Failure, Is.EqualTo(RecoveryFailure.Abandoned));
            Assert.That(_gate.IsInProgress, Is.False);
        });
    }

    [Test]
    public void Steps_out_of_order_throw()
    {
        var p = Create();
        Assert.Throws<InvalidOperationException>(() => p.OnRecoveryHelperFinished(true, Env()));
        Keep(p.Start(Env()));
        Assert.Throws<InvalidOperationException>(() => p.Start(Env()));
    }
}
