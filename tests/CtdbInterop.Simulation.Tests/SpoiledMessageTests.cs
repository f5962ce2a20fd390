using System.Text.RegularExpressions;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Simulation.Tests;

/// <summary>
/// Messages from ctdbd that the daemon cannot use: a payload cut short is dropped with one
/// line naming its srvid; a payload of random bytes that parses is handled like any other.
/// Either way the daemon stays up (no restart), no handler fails, and once the messages are
/// whole again the cluster agrees on a leader. The simulator fails a run on "Failed to
/// handle message" (an exception no message should cause), so these are the daemon-level
/// tests of the message path's error handling.
/// </summary>
[TestFixture]
public sealed partial class SpoiledMessageTests
{
    [TestCase(3, true)]
    [TestCase(3, false)]
    [TestCase(5, true)]
    public void Truncated_messages_are_dropped_with_a_line_each_and_the_daemons_stay_up(int nodes, bool lockMode)
    {
        var result = Run(FaultKind.TruncatedMessages, nodes, lockMode, seed: 17_000 + nodes);

        Assert.Multiple(() =>
        {
            Assert.That(result.Violation, Is.Null, result.Timeline);
            Assert.That(result.LeaderAfterHeal, Is.Not.Null, "no leader after the messages were whole again");
            Assert.That(DroppedLine().Count(result.Timeline!), Is.GreaterThan(nodes), "every node drops what it cannot parse, with a line");
            Assert.That(DaemonStarts(result), Is.EqualTo(nodes), "a daemon restarted");
        });
    }

    [TestCase(3, true, 18_003)]
    [TestCase(3, false, 18_013)]
    [TestCase(5, true, 18_005)]
    [TestCase(5, false, 18_015)]
    public void Garbled_messages_never_fail_a_handler_nor_restart_a_daemon(int nodes, bool lockMode, int seed)
    {
        var result = Run(FaultKind.GarbledMessages, nodes, lockMode, seed);

        Assert.Multiple(() =>
        {
            Assert.That(result.Violation, Is.Null, result.Timeline);
            Assert.That(result.LeaderAfterHeal, Is.Not.Null, "no leader after the messages were whole again");
            Assert.That(DaemonStarts(result), Is.EqualTo(nodes), "a daemon restarted");
            Assert.That(NoSuchLeader().IsMatch(result.Timeline!), Is.True, "no garbled message was parsed and handled (a leader that does not exist)");
        });
    }

    private static SimulationResult Run(FaultKind kind, int nodes, bool lockMode, int seed)
    {
        var config = new ScheduleConfig
        {
            Seed = seed,
            NodeCount = nodes,
            LockMode = lockMode,
            Options = Enumerable.Repeat(DecisionOptions.Default, nodes).ToArray(),
            WallSkew = new TimeSpan[nodes],
            Faults = Enumerable.Range(0, nodes)
                .Select(pnn => new Fault(TimeSpan.FromSeconds(1), kind, (uint)pnn, Seconds: 14))
                .Append(new Fault(TimeSpan.FromSeconds(6), FaultKind.Ban, Fault.CurrentLeader, Seconds: 4))
                .ToList(),
            HealAt = TimeSpan.FromSeconds(16),
        };

        return Simulation.Run(config, timeline: true);
    }

    private static int DaemonStarts(SimulationResult result) => DaemonStarted().Count(result.Timeline!);

    [GeneratedRegex("Dropped malformed message for srvid 0x[0-9a-f]{16}: ")]
    private static partial Regex DroppedLine();

    // A random PNN has more digits than any simulated cluster's.
    [GeneratedRegex(@"leader=\d{3,}\b")]
    private static partial Regex NoSuchLeader();

    [GeneratedRegex(@"\bdaemon started \(")]
    private static partial Regex DaemonStarted();
}
