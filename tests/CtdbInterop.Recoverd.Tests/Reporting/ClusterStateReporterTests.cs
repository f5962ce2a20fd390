using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Reporting;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Reporting;

[Description("recoverd-behaviours B09")]
public class ClusterStateReporterTests
{
    private static readonly int[] LoggedMinutes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 120];

    private static readonly Core.Domain.NodeMapView Incomplete = Map(0, NodeFlags.Disconnected, 0, NodeFlags.Deleted | NodeFlags.Disconnected);

    [Test]
    public void Logs_on_the_cadence_of_the_C_daemon_while_incomplete_then_once_when_complete()
    {
        var reporter = new ClusterStateReporter(S(0));
        var logged = new List<(int Minute, string Text)>();

        for (var minute = 1; minute <= 130; minute++)
        {
            foreach (var line in reporter.OnTimerDue(S(60 * minute), 0, 0, Incomplete))
            {
                logged.Add((minute, line.Text));
            }
        }

        var complete = reporter.OnTimerDue(S(60 * 131), 0, 0, HealthyMap(4));
        var stillComplete = reporter.OnTimerDue(S(60 * 132), 0, 0, HealthyMap(4));

        var elapsed = logged.Select(l => l.Minute - 1).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(elapsed, Is.EqualTo(LoggedMinutes));
            Assert.That(logged[0].Text, Is.EqualTo("Cluster incomplete with leader=0, elapsed=0 minutes, connected=1"));
            Assert.That(logged[^1].Text, Is.EqualTo("Cluster incomplete with leader=0, elapsed=120 minutes, connected=1"));
            Assert.That(complete.Texts(), Is.EqualTo(Expect.Lines("Cluster complete with leader=0")));
            Assert.That(stillComplete, Is.Empty);
        });
    }

    [Test]
    public void Only_the_leader_reports_and_early_calls_do_nothing()
    {
        var reporter = new ClusterStateReporter(S(0));
        Assert.Multiple(() =>
        {
            Assert.That(reporter.OnTimerDue(S(30), 0, 0, Incomplete), Is.Empty);
            Assert.That(reporter.OnTimerDue(S(60), 0, 1, Incomplete), Is.Empty);
            Assert.That(reporter.NextDeadline, Is.EqualTo(S(120)));
            Assert.That(reporter.OnTimerDue(S(120), 0, 0, null), Is.Empty);
        });
    }
}
