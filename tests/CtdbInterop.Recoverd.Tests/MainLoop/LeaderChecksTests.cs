using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.MainLoop;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.MainLoop;

[Description("recoverd-behaviours B27-B39")]
public class LeaderChecksTests
{
    private const uint Own = 0;

    private static readonly VnnMapView Vnn = new(77, [0, 1, 2]);

    /// <summary>A healthy 3-node cluster seen by leader 0: every read agrees.</summary>
    private static LeaderSnapshot Healthy(NodeMapView? map = null)
    {
        map ??= HealthyMap(3);
        return new LeaderSnapshot
        {
            OwnPnn = Own,
            RemoteNodeMaps = map.ConnectedPnns().Where(p => p != Own).ToDictionary(p => p, _ => Fetch.Ok(map)),
            LocalVnnMap = Fetch.Ok(Vnn),
            RecoveryModes = map.ActivePnns().ToDictionary(p => p, _ => Fetch.Ok(CtdbRecoveryMode.Normal)),
            ClusterLockConfigured = false,
            ClusterLockHeld = false,
            RecoveriesDisabled = false,
            RemoteVnnMaps = map.ActivePnns().Where(p => p != Own).ToDictionary(p => p, _ => Fetch.Ok(Vnn)),
            TakeoverRunsDisabled = false,
            TakeoverRequestsPending = false,
        };
    }

    private static Dictionary<uint, FetchResult<T>> With<T>(IReadOnlyDictionary<uint, FetchResult<T>> reads, uint pnn, FetchResult<T> value) =>
        new(reads) { [pnn] = value };

    private static LeaderOutcome.Recover AssertRecover(LeaderVerdict verdict, RecoveryCause cause, params string[] logs)
    {
        Assert.That(verdict.Outcome, Is.InstanceOf<LeaderOutcome.Recover>());
        var recover = (LeaderOutcome.Recover)verdict.Outcome;
        Assert.Multiple(() =>
        {
            Assert.That(recover.Cause, Is.EqualTo(cause));
            Assert.That(recover.Logs.Texts(), Is.EqualTo(logs));
            Assert.That(recover.Culprits, Is.EqualTo(cause.Culprit is { } c ? Expect.Pnns(c) : Expect.Pnns()));
        });
        return recover;
    }

    [Test]
    public void Healthy_cluster_needs_nothing()
    {
        var verdict = LeaderChecks.Decide(Healthy(), Memory(HealthyMap(3)));
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Outcome, Is.InstanceOf<LeaderOutcome.AllGood>());
            Assert.That(verdict.FlagActions, Is.Empty);
        });
    }

    [Test]
    public void B27_failed_remote_node_maps_blame_each_node_and_halt()
    {
        var snapshot = Healthy() with { RemoteNodeMaps = new Dictionary<uint, FetchResult<NodeMapView>> { [1] = Fetch.Ok(HealthyMap(3)), [2] = Fetch.Failed<NodeMapView>() } };

        var verdict = LeaderChecks.Decide(snapshot, Memory(HealthyMap(3)));

        var halt = (LeaderOutcome.Halt)verdict.Outcome;
        Assert.Multiple(() =>
        {
            Assert.That(halt.Reason, Is.EqualTo(LeaderHaltReason.RemoteNodeMapsFailed));
            Assert.That(halt.Culprits, Is.EqualTo(Expect.Pnns(2)));
            Assert.That(halt.Logs.Texts(), Is.EqualTo(Expect.Lines("Failed to retrieve nodemap from node 2", "Failed to read remote nodemaps")));
        });
    }

    [Test]
    public void B27_disconnected_nodes_are_not_asked()
    {
        var map = Map(0, 0, NodeFlags.Disconnected);
        var snapshot = Healthy(map);
        Assert.That(LeaderChecks.Decide(snapshot, Memory(map)).Outcome, Is.Not.InstanceOf<LeaderOutcome.Halt>());
    }

    [Test]
    public void B28_a_node_reporting_other_own_flags_updates_the_local_map_and_is_pushed()
    {
        var local = HealthyMap(3);
        var fromNode2 = Map(0, 0, NodeFlags.Unhealthy);
        var snapshot = Healthy(local) with
        {
            RemoteNodeMaps = new Dictionary<uint, FetchResult<NodeMapView>> { [1] = Fetch.Ok(local), [2] = Fetch.Ok(fromNode2) },
        };

        var verdict = LeaderChecks.Decide(snapshot, Memory(local));

        Assert.Multiple(() =>
        {
            Assert.That(verdict.FlagActions.LogTexts(), Is.EqualTo(Expect.Lines(
                "Remote node 2 had flags 0x2, local had 0x0 - updating local",
                "Pushing updated flags for node 2 (0x2)")));
            var push = verdict.FlagActions.Single<RecdAction.PushNodeFlags>();
            Assert.That((push.Pnn, push.NewFlags, push.OldFlags), Is.EqualTo((2u, NodeFlags.Unhealthy, NodeFlags.Unhealthy)));
            Assert.That(push.Targets, Is.EqualTo(Expect.Pnns(0, 1, 2)), "all connected nodes including self");
            Assert.That(verdict.Memory.NodeMap, Is.EqualTo(fromNode2));
        });
    }

    [Test]
    public void B28_a_third_node_with_a_stale_view_gets_a_push_without_a_local_update()
    {
        var local = Map(0, 0, NodeFlags.Unhealthy);
        var stale = HealthyMap(3);
        var snapshot = Healthy(local) with
        {
            RemoteNodeMaps = new Dictionary<uint, FetchResult<NodeMapView>> { [1] = Fetch.Ok(stale), [2] = Fetch.Ok(local) },
        };

        var verdict = LeaderChecks.Decide(snapshot, Memory(local));

        Assert.Multiple(() =>
        {
            Assert.That(verdict.FlagActions.LogTexts(), Is.EqualTo(Expect.Lines("Pushing updated flags for node 2 (0x2)")));
            Assert.That(verdict.Memory.NodeMap, Is.EqualTo(local));
        });
    }

    [Test]
    [Description("§7 latent issue 2: short remote maps must not be indexed past their end")]
    public void B28_short_remote_maps_are_bounds_checked_and_B35_reports_them()
    {
        var local = HealthyMap(3);
        var shortMap = HealthyMap(2);
        var snapshot = Healthy(local) with
        {
            RemoteNodeMaps = new Dictionary<uint, FetchResult<NodeMapView>> { [1] = Fetch.Ok(local), [2] = Fetch.Ok(shortMap) },
        };

        var verdict = LeaderChecks.Decide(snapshot, Memory(local));

        Assert.That(verdict.FlagActions, Is.Empty);
        AssertRecover(verdict, new RecoveryCause(RecoveryCheck.NodeCountMismatch, "B35", 2, 2, 3, 2),
            "Remote node:2 has different node count. 2 vs 3 of the local node");
    }

    [Test]
    public void B29_node_list_count_mismatch_reloads_the_node_list()
    {
        var verdict = LeaderChecks.Decide(Healthy(), Memory(HealthyMap(3), nodeListCount: 4));
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Outcome, Is.InstanceOf<LeaderOutcome.ReloadNodes>());
            Assert.That(verdict.Outcome.Logs.Texts(), Is.EqualTo(Expect.Lines("ctdb->num_nodes (4) != nodemap->num (3) reloading nodes file")));
        });
    }

    [Test]
    public void B30_failed_local_vnn_map_halts()
    {
        var verdict = LeaderChecks.Decide(Healthy() with { LocalVnnMap = Fetch.Failed<VnnMapView>() }, Memory(HealthyMap(3)));
        Assert.Multiple(() =>
        {
            Assert.That(((LeaderOutcome.Halt)verdict.Outcome).Reason, Is.EqualTo(LeaderHaltReason.LocalVnnMapFailed));
            Assert.That(verdict.Outcome.Logs.Texts(), Is.EqualTo(Expect.Lines("Unable to get vnnmap from node 0")));
        });
    }

    [Test]
    public void B31_unfinished_recovery_is_retried_before_any_other_check()
    {
        var snapshot = Healthy() with { ClusterLockConfigured = true, ClusterLockHeld = false };
        var verdict = LeaderChecks.Decide(snapshot, Memory(HealthyMap(3)) with { NeedRecovery = true });
        AssertRecover(verdict, new RecoveryCause(RecoveryCheck.UnfinishedRecovery, "B31"));
    }

    [Test]
    public void B32_nodes_in_recovery_mode_each_log_and_recover()
    {
        var modes = With(With(Healthy().RecoveryModes, 1, Fetch.Ok(CtdbRecoveryMode.Active)), 2, Fetch.Ok(CtdbRecoveryMode.Active));
        var verdict = LeaderChecks.Decide(Healthy() with { RecoveryModes = modes }, Memory(HealthyMap(3)));
        AssertRecover(verdict, new RecoveryCause(RecoveryCheck.NodeInRecoveryMode, "B32", 1, 1, 0),
            "Node:1 was in recovery mode. Start recovery process",
            "Node:2 was in recovery mode. Start recovery process");
    }

    [Test]
    public void B32_recovery_mode_wins_over_a_failed_read_but_a_failed_read_alone_halts()
    {
        var both = With(With(Healthy().RecoveryModes, 1, Fetch.Failed<CtdbRecoveryMode>()), 2, Fetch.Ok(CtdbRecoveryMode.Active));
        var failedOnly = With(Healthy().RecoveryModes, 1, Fetch.Failed<CtdbRecoveryMode>());

        var recover = LeaderChecks.Decide(Healthy() with { RecoveryModes = both }, Memory(HealthyMap(3)));
        var halt = LeaderChecks.Decide(Healthy() with { RecoveryModes = failedOnly }, Memory(HealthyMap(3)));

        Assert.Multiple(() =>
        {
            Assert.That(recover.Outcome, Is.InstanceOf<LeaderOutcome.Recover>());
            Assert.That(((LeaderOutcome.Halt)halt.Outcome).Reason, Is.EqualTo(LeaderHaltReason.RecoveryModeReadFailed));
        });
    }

    [Test]
    public void B33_lock_configured_but_not_held_blames_self()
    {
        var verdict = LeaderChecks.Decide(Healthy() with { ClusterLockConfigured = true, ClusterLockHeld = false }, Memory(HealthyMap(3)));
        AssertRecover(verdict, new RecoveryCause(RecoveryCheck.ClusterLockNotHeld, "B33", Own, Culprit: Own), "Failed cluster lock sanity check");
    }

    [Test]
    public void B34_disabled_recoveries_skip_the_consistency_checks()
    {
        var snapshot = Healthy() with { RecoveriesDisabled = true, LocalVnnMap = Fetch.Ok(new VnnMapView(77, [0])) };
        Assert.That(LeaderChecks.Decide(snapshot, Memory(HealthyMap(3))).Outcome, Is.InstanceOf<LeaderOutcome.AllGood>());
    }

    [Test]
    public void B35_different_pnn_at_an_index_recovers_with_the_node_as_culprit()
    {
        var local = HealthyMap(3);
        var odd = NodeMapView.Of(new NodeEntry(0, 0), new NodeEntry(5, 0), new NodeEntry(2, 0));
        var snapshot = Healthy(local) with
        {
            RemoteNodeMaps = new Dictionary<uint, FetchResult<NodeMapView>> { [1] = Fetch.Ok(odd), [2] = Fetch.Ok(local) },
        };

        var verdict = LeaderChecks.Decide(snapshot, Memory(local));

        AssertRecover(verdict, new RecoveryCause(RecoveryCheck.NodeMapPnnMismatch, "B35", 1, 5, 1, 1),
            "Remote node:1 has different nodemap pnn for 1 (5 vs 1).");
    }

    [Test]
    public void B35_inactive_nodes_are_not_compared()
    {
        var local = Map(0, 0, NodeFlags.Stopped);
        var snapshot = Healthy(local) with
        {
            RemoteNodeMaps = new Dictionary<uint, FetchResult<NodeMapView>> { [1] = Fetch.Ok(local), [2] = Fetch.Ok(Map(NodeFlags.Stopped)) },
            LocalVnnMap = Fetch.Ok(new VnnMapView(77, [0, 1])),
            RemoteVnnMaps = new Dictionary<uint, FetchResult<VnnMapView>> { [1] = Fetch.Ok(new VnnMapView(77, [0, 1])) },
        };

        Assert.That(LeaderChecks.Decide(snapshot, Memory(local)).Outcome, Is.InstanceOf<LeaderOutcome.AllGood>());
    }

    [Test]
    public void B36_vnn_map_size_must_equal_the_active_lmasters()
    {
        var verdict = LeaderChecks.Decide(Healthy() with { LocalVnnMap = Fetch.Ok(new VnnMapView(77, [0, 1])) }, Memory(HealthyMap(3)));
        AssertRecover(verdict, new RecoveryCause(RecoveryCheck.VnnMapLmasterCountMismatch, "B36", Own, 2, 3, Own),
            "The vnnmap count is different from the number of active lmaster nodes: 2 vs 3");
    }

    [Test]
    public void B36_nodes_without_the_lmaster_capability_do_not_count()
    {
        var memory = Memory(HealthyMap(3)) with
        {
            NodeCapabilities = new Dictionary<uint, CtdbCapabilities> { [0] = DefaultCaps, [1] = DefaultCaps, [2] = CtdbCapabilities.Recmaster },
        };
        var vnn = new VnnMapView(77, [0, 1]);
        var snapshot = Healthy() with
        {
            LocalVnnMap = Fetch.Ok(vnn),
            RemoteVnnMaps = new Dictionary<uint, FetchResult<VnnMapView>> { [1] = Fetch.Ok(vnn), [2] = Fetch.Ok(vnn) },
        };

        Assert.That(LeaderChecks.Decide(snapshot, memory).Outcome, Is.InstanceOf<LeaderOutcome.AllGood>());
    }

    [Test]
    public void B37_an_active_lmaster_missing_from_the_vnn_map_is_the_culprit()
    {
        var verdict = LeaderChecks.Decide(Healthy() with { LocalVnnMap = Fetch.Ok(new VnnMapView(77, [0, 1, 1])) }, Memory(HealthyMap(3)));
        AssertRecover(verdict, new RecoveryCause(RecoveryCheck.LmasterMissingFromVnnMap, "B37", 2, Culprit: 2),
            "Active LMASTER node 2 is not in the vnnmap");
    }

    [Test]
    public void B38_remote_vnn_map_differences_each_recover_with_the_node_as_culprit()
    {
        VnnMapView[] remotes = [new(78, [0, 1, 2]), new(77, [0, 1]), new(77, [2, 1, 0])];
        var expected = new[]
        {
            (new RecoveryCause(RecoveryCheck.VnnMapGenerationMismatch, "B38", 1, 78, 77, 1), "Remote node 1 has different generation of vnnmap. 78 vs 77 (ours)"),
            (new RecoveryCause(RecoveryCheck.VnnMapSizeMismatch, "B38", 1, 2, 3, 1), "Remote node 1 has different size of vnnmap. 2 vs 3 (ours)"),
            (new RecoveryCause(RecoveryCheck.VnnMapContentMismatch, "B38", 1, Culprit: 1), "Remote node 1 has different vnnmap."),
        };

        for (var i = 0; i < remotes.Length; i++)
        {
            var snapshot = Healthy() with { RemoteVnnMaps = With(Healthy().RemoteVnnMaps, 1, Fetch.Ok(remotes[i])) };
            AssertRecover(LeaderChecks.Decide(snapshot, Memory(HealthyMap(3))), expected[i].Item1, expected[i].Item2);
        }
    }

    [Test]
    public void B38_failed_remote_vnn_map_halts_without_culprit()
    {
        var snapshot = Healthy() with { RemoteVnnMaps = With(Healthy().RemoteVnnMaps, 2, Fetch.Failed<VnnMapView>()) };
        var halt = (LeaderOutcome.Halt)LeaderChecks.Decide(snapshot, Memory(HealthyMap(3))).Outcome;
        Assert.Multiple(() =>
        {
            Assert.That(halt.Reason, Is.EqualTo(LeaderHaltReason.RemoteVnnMapFailed));
            Assert.That(halt.Culprits, Is.Empty);
            Assert.That(halt.Logs.Texts(), Is.EqualTo(Expect.Lines("Unable to get vnnmap from remote node 2")));
        });
    }

    [TestCase(true, false, false, true)]
    [TestCase(false, true, false, true)]
    [TestCase(true, false, true, false)]
    [TestCase(false, false, false, false)]
    public void B39_takeover_run_when_requested_or_previously_failed_and_enabled(bool pending, bool needTakeover, bool disabled, bool expectRun)
    {
        var snapshot = Healthy() with { TakeoverRequestsPending = pending, TakeoverRunsDisabled = disabled };
        var verdict = LeaderChecks.Decide(snapshot, Memory(HealthyMap(3)) with { NeedTakeoverRun = needTakeover });
        Assert.That(verdict.Outcome is LeaderOutcome.TakeoverRun, Is.EqualTo(expectRun));
    }

    [Test]
    public void Checks_run_in_order_so_reads_the_C_daemon_would_not_reach_do_not_matter()
    {
        var snapshot = Healthy() with
        {
            ClusterLockConfigured = true,
            ClusterLockHeld = false,
            RemoteVnnMaps = new Dictionary<uint, FetchResult<VnnMapView>>(),
        };

        Assert.That(LeaderChecks.Decide(snapshot, Memory(HealthyMap(3))).Outcome, Is.InstanceOf<LeaderOutcome.Recover>());
    }
}
