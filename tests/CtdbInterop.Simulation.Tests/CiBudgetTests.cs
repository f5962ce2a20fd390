using System.Globalization;
using CtdbInterop.Simulation;

namespace CtdbInterop.Simulation.Tests;

[TestFixture]
public sealed class CiBudgetTests
{
    private const int Schedules = 10_000;

    [Test]
    public void Ten_thousand_seeded_schedules_keep_every_invariant()
    {
        var result = Batch.Run(1, Schedules);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Schedules} schedules in {result.Elapsed.TotalSeconds:0.0} s ({result.PerSecond:0.0}/s), {result.VirtualSeconds / result.Schedules:0.0} virtual s each; {result.Stock}; slowest leader after heal {result.MaxLeaderAfterHeal?.TotalSeconds:0.0} s; slowest hand-over {result.MaxResignation?.TotalSeconds:0.0} s"));
        foreach (var failure in result.Failures.Take(3))
        {
            var replay = Simulation.Run(failure.Config, timeline: true);
            TestContext.Out.WriteLine($"seed {failure.Config.Seed}: {failure.Violation}\n{failure.Config.Describe()}{replay.Timeline}");
        }

        Assert.That(result.Failures.Select(f => $"seed {f.Config.Seed}: {f.Violation}"), Is.Empty, "invariant violations");
    }
}
