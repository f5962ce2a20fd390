namespace CtdbInterop.Simulation.Tests;

/// <summary>A run is a function of its seed: same seed, same timeline, same outcome.</summary>
[TestFixture]
public sealed class DeterminismTests
{
    [TestCase(1)]
    [TestCase(42)]
    [TestCase(210)]
    public void The_same_seed_gives_the_same_timeline(int seed)
    {
        var config = ScheduleConfig.Generate(seed);
        var first = Simulation.Run(config, timeline: true);
        var second = Simulation.Run(config, timeline: true);
        Assert.That(second.Timeline, Is.EqualTo(first.Timeline));
        Assert.That(second.Steps, Is.EqualTo(first.Steps));
    }

    [Test]
    public void The_timeline_names_node_virtual_time_and_event()
    {
        var result = Simulation.Run(ScheduleConfig.Generate(1), timeline: true);
        Assert.That(result.Timeline, Does.Match(@"\n\s+\d+\.\d{3}\s+n\d\s+Took cluster lock, leader=\d"));
    }

    [Test]
    public void Recording_the_timeline_does_not_change_the_outcome()
    {
        var config = ScheduleConfig.Generate(7);
        var quiet = Simulation.Run(config);
        var loud = Simulation.Run(config, timeline: true);
        Assert.That(quiet.Violation, Is.EqualTo(loud.Violation));
        Assert.That(quiet.Recoveries, Is.EqualTo(loud.Recoveries));
    }
}
