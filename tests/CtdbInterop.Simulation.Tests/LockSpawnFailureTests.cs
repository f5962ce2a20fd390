using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Simulation.Tests;

/// <summary>
/// A cluster mutex helper that cannot be started (posix_spawn or pidfd_open failing, e.g. out of
/// processes or a seccomp filter) fails that lock attempt and no more. The daemon once reported
/// such a failure to the election as a helper that had answered an unknown status; the election
/// then waited for that helper's exit, which never came, so the node's election never ended and
/// its main loop gave up every iteration from then on.
/// </summary>
[TestFixture]
public sealed class LockSpawnFailureTests
{
    [TestCase(3)]
    [TestCase(5)]
    public void Nodes_that_could_not_start_the_helper_take_the_lock_once_they_can(int nodes)
    {
        var config = new ScheduleConfig
        {
            Seed = 16_000 + nodes,
            NodeCount = nodes,
            LockMode = true,
            Options = Enumerable.Repeat(DecisionOptions.Default, nodes).ToArray(),
            WallSkew = new TimeSpan[nodes],
            Faults = Enumerable.Range(0, nodes)
                .Select(pnn => new Fault(TimeSpan.FromSeconds(1), FaultKind.LockSpawnFailure, (uint)pnn, Seconds: 12))
                .ToList(),
            HealAt = TimeSpan.FromSeconds(15),
        };

        var result = Simulation.Run(config, timeline: true);

        Assert.Multiple(() =>
        {
            Assert.That(result.Violation, Is.Null, result.Timeline);
            Assert.That(result.LeaderAfterHeal, Is.Not.Null, "no leader after the helpers could be started again");
        });
    }
}
