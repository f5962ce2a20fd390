using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Election;

/// <summary>The simulator (issue 5) relies on identical inputs giving identical outputs.</summary>
public class DeterminismTests
{
    private static string[] Trace(string? lockString)
    {
        var cluster = new ElectionCluster(4, lockString, priority: i => Wall(i % 2));
        cluster.RunUntil(S(60));
        return cluster.Nodes.SelectMany((n, i) => n.Actions.Select(a => $"{i}@{a.At.TotalMilliseconds}:{a.Action}")).ToArray();
    }

    [TestCase(null)]
    [TestCase("/shared/lock")]
    public void Same_inputs_give_the_same_action_trace(string? lockString)
    {
        var first = Trace(lockString);
        Assert.That(Trace(lockString), Is.EqualTo(first));
        Assert.That(first, Is.Not.Empty);
    }

    [Test]
    public void Timers_due_at_the_same_instant_fire_in_a_fixed_order_and_zero_periods_are_bounded()
    {
        var zero = RecdTunables.Defaults with { ElectionTimeout = 0 };
        var e = new LeaderElection(Classic(1));
        e.EnsureLeaderTimeout(S(0));
        e.EnsureBroadcastLoop(S(4));
        e.OnElectionMessage(new ElectionData(1, Wall(50), 2, 0), S(4.5), View(priority: Wall(1), tunables: zero));

        // At 5 s: election end (due 4.5), counter request (due 5.0), leader timeout (5.0), broadcast loop (5.0).
        var actions = e.OnTimersDue(S(5), View(priority: Wall(1), tunables: zero));

        // The election's end comes first and arms the leader timeout afresh, so the old deadline
        // due at the same instant no longer starts another election (simulator seed 9808); the
        // own request then keeps its exchange open for one (here zero-length) period, which
        // ends at once naming this node (seed 456154).
        Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines(
            "Election period ended, leader=4294967295",
            "Send election request to all active nodes",
            "Election period ended, leader=1")));
        Assert.That(e.LeaderTimeoutDeadline, Is.EqualTo(S(10)));
    }
}
