using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Gates;
using CtdbInterop.Recoverd.Core.Takeover;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Takeover;

[Description("recoverd-behaviours B40, B63-B67")]
public class TakeoverTests
{
    [Test]
    public void Requests_are_answered_newest_first_with_own_pnn_or_minus_one_and_srvid_0_is_silent()
    {
        var queue = new PendingTakeoverRequests();
        queue.Enqueue(new SrvidRequest(1, 0xCE01));
        queue.Enqueue(new SrvidRequest(2, 0));
        queue.Enqueue(new SrvidRequest(3, 0xCE03));

        var detached = queue.Detach();
        var ok = PendingTakeoverRequests.Replies(detached, true, 7);
        var failed = PendingTakeoverRequests.Replies(detached, false, 7);

        Assert.Multiple(() =>
        {
            Assert.That(queue.HasPending, Is.False, "requests arriving later wait for the next run");
            Assert.That(ok, Is.EqualTo(new RecdAction[] { new RecdAction.ReplyToRequester(3, 0xCE03, 7), new RecdAction.ReplyToRequester(1, 0xCE01, 7) }));
            Assert.That(failed.Cast<RecdAction.ReplyToRequester>().Select(r => r.Value), Is.All.EqualTo(-1));
        });
    }

    [Test]
    public void Dropping_forgets_without_replies()
    {
        var queue = new PendingTakeoverRequests();
        queue.Enqueue(new SrvidRequest(1, 5));
        queue.DropAll();
        Assert.Multiple(() =>
        {
            Assert.That(queue.Count, Is.Zero);
            Assert.That(PendingTakeoverRequests.WrongSize().Text, Is.EqualTo("Wrong size of return address."));
        });
    }

    [Test]
    public void Rebalance_targets_are_kept_only_by_the_leader_and_allow_duplicates()
    {
        var targets = new RebalanceTargets();
        var ignored = targets.Add(4, isLeader: false);
        var logged = targets.Add(2, isLeader: true);
        targets.Add(2, isLeader: true);

        Assert.Multiple(() =>
        {
            Assert.That(ignored, Is.Empty);
            Assert.That(logged.Texts(), Is.EqualTo(Expect.Lines("Setting up rebalance of IPs to node 2")));
            Assert.That(targets.Current, Is.EqualTo(Expect.Pnns(2, 2)));
        });
    }

    [Test]
    public void Takeover_run_disables_runs_elsewhere_runs_the_helper_and_clears_the_targets()
    {
        var gate = OperationGate.TakeoverRuns();
        var targets = new RebalanceTargets();
        targets.Add(2, true);
        targets.Add(1, true);

        var begin = TakeoverRun.Begin(gate, targets, Map(0, 0, NodeFlags.Disconnected, NodeFlags.Banned), 0);
        var run = begin.Running!;
        Assert.That(gate.IsInProgress, Is.True);
        var end = run.Finish(true);

        Assert.Multiple(() =>
        {
            Assert.That(begin.Actions.LogTexts(), Is.EqualTo(Expect.Lines("Takeover run starting")));
            Assert.That(begin.Actions.Single<RecdAction.DisableTakeoverRunsOn>().Nodes, Is.EqualTo(Expect.Pnns(1, 3)));
            Assert.That(begin.Actions.Single<RecdAction.DisableTakeoverRunsOn>().TimeoutSeconds, Is.EqualTo(60u));
            Assert.That(run.RebalanceArgument, Is.EqualTo("2,1"));
            Assert.That(end.Actions.Single<RecdAction.DisableTakeoverRunsOn>().TimeoutSeconds, Is.Zero);
            Assert.That(end.Actions.Single<RecdAction.DisableTakeoverRunsOn>().Nodes, Is.EqualTo(Expect.Pnns(1, 3)));
            Assert.That(end.Actions.LogTexts(), Is.EqualTo(Expect.Lines("Takeover run completed successfully")));
            Assert.That(end.Succeeded, Is.True);
            Assert.That(end.NeedTakeoverRun, Is.False);
            Assert.That(targets.Current, Is.Empty);
            Assert.That(gate.IsInProgress, Is.False);
        });
    }

    [Test]
    public void Targets_changed_during_the_run_are_kept()
    {
        var gate = OperationGate.TakeoverRuns();
        var targets = new RebalanceTargets();
        targets.Add(2, true);
        var run = TakeoverRun.Begin(gate, targets, HealthyMap(3), 0).Running!;
        targets.Add(1, true);

        var end = run.Finish(true);

        Assert.Multiple(() =>
        {
            Assert.That(end.Actions.LogTexts(), Is.EqualTo(Expect.Lines(
                "Rebalance target nodes changed during takeover run - not clearing", "Takeover run completed successfully")));
            Assert.That(targets.Current, Is.EqualTo(Expect.Pnns(2, 1)));
        });
    }

    [Test]
    public void Helper_failure_keeps_the_targets_and_asks_for_another_run()
    {
        var targets = new RebalanceTargets();
        targets.Add(2, true);
        var run = TakeoverRun.Begin(OperationGate.TakeoverRuns(), targets, HealthyMap(3), 0).Running!;

        var end = run.Finish(false);

        Assert.Multiple(() =>
        {
            Assert.That(run.RebalanceArgument, Is.EqualTo("2"));
            Assert.That(end.Actions.LogTexts(), Is.EqualTo(Expect.Lines("ctdb_takeover_run() failed", "Takeover run unsuccessful")));
            Assert.That(end.NeedTakeoverRun, Is.True);
            Assert.That(targets.Current, Is.EqualTo(Expect.Pnns(2)));
            Assert.Throws<InvalidOperationException>(() => run.Finish(true));
        });
    }

    [Test]
    public void Disabled_or_busy_gate_ends_the_run_unsuccessfully_without_a_helper()
    {
        var disabled = OperationGate.TakeoverRuns();
        disabled.Disable(60, S(0));
        var busy = OperationGate.TakeoverRuns();
        busy.TryBegin(out _);

        var refused = TakeoverRun.Begin(disabled, new RebalanceTargets(), HealthyMap(3), 0);
        var nested = TakeoverRun.Begin(busy, new RebalanceTargets(), HealthyMap(3), 0);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Running, Is.Null);
            Assert.That(refused.Actions.LogTexts(), Is.EqualTo(Expect.Lines(
                "Takeover run starting", "Unable to begin - takeover runs are disabled", "Takeover run unsuccessful")));
            Assert.That(refused.NeedTakeoverRun, Is.True);
            Assert.That(nested.Actions.LogTexts(), Is.EqualTo(Expect.Lines(
                "Takeover run starting", "takeover run already in progress", "Takeover run unsuccessful")));
            Assert.That(busy.IsInProgress, Is.True, "the other run's mark is left alone");
        });
    }

    [Test]
    public void Run_without_targets_has_no_helper_argument()
    {
        var run = TakeoverRun.Begin(OperationGate.TakeoverRuns(), new RebalanceTargets(), HealthyMap(1), 0).Running!;
        Assert.Multiple(() =>
        {
            Assert.That(run.RebalanceArgument, Is.Null);
            Assert.That(run.DisabledNodes, Is.Empty);
        });
    }

    [Test]
    public void Push_node_flags_forwards_the_change_to_the_connected_nodes_of_the_leaders_map()
    {
        var actions = PushNodeFlagsHandling.Decide(1, NodeFlags.Unhealthy, 0, 2, Fetch.Ok(Map(0, 0, 0, NodeFlags.Disconnected)));

        var push = actions.Single<RecdAction.PushNodeFlags>();
        Assert.Multiple(() =>
        {
            Assert.That((push.Pnn, push.NewFlags, push.OldFlags), Is.EqualTo((1u, NodeFlags.Unhealthy, (NodeFlags)0)));
            Assert.That(push.Targets, Is.EqualTo(Expect.Pnns(0, 1, 2)));
            Assert.That(push.OnFailure!.Text, Is.EqualTo("ctdb_control to modify node flags failed"));
        });
    }

    [Test]
    public void Push_node_flags_without_a_leader_map_or_outside_it_only_logs()
    {
        var noLeader = PushNodeFlagsHandling.Decide(1, 0, 0, CtdbConstants.UnknownPnn, Fetch.Ok(HealthyMap(3)));
        var failed = PushNodeFlagsHandling.Decide(1, 0, 0, 2, Fetch.Failed<NodeMapView>());
        var outside = PushNodeFlagsHandling.Decide(5, 0, 0, 2, Fetch.Ok(HealthyMap(3)));

        Assert.Multiple(() =>
        {
            Assert.That(noLeader.LogTexts(), Is.EqualTo(Expect.Lines("Unable to get nodemap from node 4294967295")));
            Assert.That(failed.LogTexts(), Is.EqualTo(Expect.Lines("Unable to get nodemap from node 2")));
            Assert.That(outside.LogTexts(), Is.EqualTo(Expect.Lines("Nodemap from leader does not contain node 5")));
            Assert.That(noLeader.Concat(failed).Concat(outside).WithoutLogs(), Is.Empty);
        });
    }
}
