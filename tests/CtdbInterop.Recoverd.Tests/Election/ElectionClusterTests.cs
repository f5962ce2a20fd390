using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Election;

/// <summary>Several machines fed each other's actions (see <see cref="ElectionCluster"/>).</summary>
[Description("recoverd-behaviours B73-B84; §3.2 rules 8-14")]
public class ElectionClusterTests
{
    private static readonly double[] Uptimes = [30.0, 10.0, 20.0];

    private static void AssertConverged(ElectionCluster cluster, uint leader)
    {
        Assert.Multiple(() =>
        {
            for (var i = 0; i < cluster.Nodes.Length; i++)
            {
                Assert.That(cluster.Nodes[i].Election.Leader, Is.EqualTo(leader), $"node {i}");
                Assert.That(cluster.Nodes[i].Election.IsElectionInProgress, Is.False, $"node {i}");
            }
        });
    }

    [Test]
    public void Classic_exchange_converges_on_the_longest_running_node()
    {
        var cluster = new ElectionCluster(3, priority: i => Wall(Uptimes[i]));

        cluster.RunUntil(S(20));

        AssertConverged(cluster, 1);
        Assert.Multiple(() =>
        {
            foreach (var node in cluster.Nodes)
            {
                Assert.That(node.LogTexts, Has.Member("Election period ended, leader=1"));
            }

            var late = cluster.Nodes[1].Actions.Where(a => a.At > S(15)).Select(a => a.Action).OfType<RecdAction.BroadcastLeader>();
            Assert.That(late.Select(b => b.Pnn), Is.Not.Empty.And.All.EqualTo(1u), "the winner announces itself");
        });
    }

    [Test]
    public void Classic_exchange_breaks_priority_ties_by_the_highest_pnn()
    {
        var cluster = new ElectionCluster(3, priority: _ => Wall(7));
        cluster.RunUntil(S(20));
        AssertConverged(cluster, 2);
    }

    [Test]
    public void Classic_exchange_never_elects_a_stopped_node()
    {
        var cluster = new ElectionCluster(3, priority: i => Wall(i));
        cluster.Nodes[0].Flags = NodeFlags.Stopped;

        cluster.RunUntil(S(20));

        Assert.Multiple(() =>
        {
            Assert.That(cluster.Nodes[1].Election.Leader, Is.EqualTo(1u));
            Assert.That(cluster.Nodes[2].Election.Leader, Is.EqualTo(1u));
        });
    }

    [Test]
    public void Classic_leader_stays_stable_once_elected()
    {
        var cluster = new ElectionCluster(3);
        cluster.RunUntil(S(20));
        var elections = cluster.Nodes.Sum(n => n.LogTexts.Count(t => t == "Start election"));

        cluster.RunUntil(S(120));

        Assert.That(cluster.Nodes.Sum(n => n.LogTexts.Count(t => t == "Start election")), Is.EqualTo(elections));
        AssertConverged(cluster, 0);
    }

    [Test]
    public void Lock_race_elects_exactly_the_node_that_got_the_lock()
    {
        var cluster = new ElectionCluster(3, lockString: "/shared/lock");

        cluster.RunUntil(S(20));

        Assert.That(cluster.LockOwner, Is.Not.Null);
        var owner = (uint)cluster.LockOwner!.Value.Node;
        AssertConverged(cluster, owner);
        Assert.Multiple(() =>
        {
            Assert.That(cluster.Nodes[owner].Election.IsLockHeld, Is.True);
            Assert.That(cluster.Nodes.Count(n => n.Election.IsLockHeld), Is.EqualTo(1));
            Assert.That(cluster.MaxConcurrentHelpers, Is.All.LessThanOrEqualTo(1));
            Assert.That(cluster.Nodes.Sum(n => n.Count<RecdAction.BroadcastElection>()), Is.Zero, "never ELECTION in lock mode");
        });
    }

    [Test]
    [Description("bug 16152: a lock attempt longer than the leader timeout")]
    public void Slow_lock_never_nests_elections_with_the_guard()
    {
        var cluster = new ElectionCluster(3, lockString: "/shared/lock") { LockLatency = S(12) };

        cluster.RunUntil(S(60));

        Assert.Multiple(() =>
        {
            Assert.That(cluster.MaxConcurrentHelpers, Is.All.LessThanOrEqualTo(1));
            foreach (var node in cluster.Nodes)
            {
                var recmodeRounds = node.Actions.Count(a => a.Action is RecdAction.SetRecoveryModeActive && a.At < S(17));
                Assert.That(recmodeRounds, Is.LessThanOrEqualTo(1), "one election per node during the first attempt");
            }
        });
        Assert.That(cluster.LockOwner, Is.Not.Null);
        AssertConverged(cluster, (uint)cluster.LockOwner!.Value.Node);
    }

    [Test]
    [Description("bug 16152 reproduced: the guard switched off")]
    public void Slow_lock_without_the_guard_runs_two_helpers_on_one_node()
    {
        var cluster = new ElectionCluster(3, lockString: "/shared/lock", options: new DecisionOptions { NestedElectionGuard = false })
        {
            LockLatency = S(12),
        };

        cluster.RunUntil(S(30));

        Assert.That(cluster.MaxConcurrentHelpers.Max(), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    [Description("§3.3: resignation in lock mode hands over after one lock acquisition")]
    public void Lock_mode_resignation_hands_over_without_waiting_for_the_leader_timeout()
    {
        var cluster = new ElectionCluster(3, lockString: "/shared/lock");
        cluster.RunUntil(S(20));
        var old = cluster.LockOwner!.Value.Node;
        cluster.Nodes[old].Flags = NodeFlags.Stopped;

        cluster.Inject(old, (e, v) => e.Resign(new Core.Resignation.ResignReason(Core.Resignation.ResignCause.NodeInactive, NodeFlags.Stopped), cluster.Now, v));
        cluster.RunUntil(cluster.Now + S(1));

        Assert.That(cluster.LockOwner, Is.Not.Null);
        var successor = cluster.LockOwner!.Value.Node;
        Assert.Multiple(() =>
        {
            Assert.That(successor, Is.Not.EqualTo(old));
            foreach (var i in Enumerable.Range(0, 3).Where(i => i != old && i != successor))
            {
                Assert.That(cluster.Nodes[i].Election.Leader, Is.EqualTo((uint)successor).Or.EqualTo(CtdbConstants.UnknownPnn));
            }
        });
        cluster.RunUntil(cluster.Now + S(2));
        Assert.That(cluster.Nodes.Where((_, i) => i != old).Select(n => n.Election.Leader), Is.All.EqualTo((uint)successor));
    }

    [Test]
    [Description("§3.3: resignation in classic mode; peers run the exchange at once")]
    public void Classic_resignation_elects_a_successor_within_one_election_period()
    {
        var cluster = new ElectionCluster(3, priority: i => Wall(i));
        cluster.RunUntil(S(20));
        Assert.That(cluster.Nodes[0].Election.Leader, Is.EqualTo(0u));
        cluster.Nodes[0].Caps = CtdbCapabilities.Lmaster;
        var resignedAt = cluster.Now;

        cluster.Inject(0, (e, v) => e.Resign(new Core.Resignation.ResignReason(Core.Resignation.ResignCause.LeaderCapabilityWithdrawn), cluster.Now, v));
        cluster.RunUntil(resignedAt + S(4.5));

        AssertConverged(cluster, 1);
        var forced = cluster.Nodes.Sum(n => n.Actions.Count(a => a.At >= resignedAt && a.Action is RecdAction.SetRecoveryModeActive));
        Assert.That(forced, Is.Zero, "no timeout-driven election was needed");
    }
}
