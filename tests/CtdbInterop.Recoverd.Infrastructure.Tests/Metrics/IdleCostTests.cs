using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.MainLoop;
using CtdbInterop.Recoverd.Core.Recovery;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Metrics;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Metrics;

[Description("issue 10: an idle daemon renders and writes its metrics only when a value changed (plus the heartbeat)")]
public class IdleCostTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private MetricsFixture _fixture = null!;

    [SetUp]
    public void SetUp() => _fixture = new MetricsFixture();

    [TearDown]
    public void TearDown() => _fixture.Dispose();

    [Test]
    public void Collect_reports_a_change_only_when_an_exported_value_changed()
    {
        var first = _fixture.Collector.Collect();
        _fixture.Collector.RenderCollected();
        var idle = _fixture.Collector.Collect();
        var stillIdle = _fixture.Collector.Collect();

        _fixture.State = _fixture.State with { Leader = 2 };
        var gauge = _fixture.Collector.Collect();
        _fixture.Collector.RenderCollected();

        _fixture.Metrics.Record(new RecoveryCause(RecoveryCheck.VnnMapGenerationMismatch, "B38", 2, 5, 7).ToDecision());
        var counter = _fixture.Collector.Collect();
        _fixture.Collector.RenderCollected();

        _fixture.Metrics.RecoveryFinished(TimeSpan.FromSeconds(0.3));
        var histogram = _fixture.Collector.Collect();
        var text = _fixture.Collector.RenderCollected();

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.True, "nothing rendered yet");
            Assert.That(idle, Is.False);
            Assert.That(stillIdle, Is.False);
            Assert.That(gauge, Is.True);
            Assert.That(counter, Is.True);
            Assert.That(histogram, Is.True);
            Assert.That(_fixture.Collector.Collect(), Is.False, "rendered since");
            Assert.That(text, Does.Contain("\nctdb_recoverd_leader_pnn 2\n"));
            Assert.That(text, Does.Contain("\nctdb_recoverd_recoveries_total{cause=\"vnnmap_generation_mismatch\"} 1\n"));
            Assert.That(text, Does.Contain("\nctdb_recoverd_recovery_duration_seconds_sum 0.3\n"));
        });
    }

    [Test]
    public void A_change_not_yet_rendered_stays_pending()
    {
        _fixture.Collector.Render();
        _fixture.State = _fixture.State with { ClusterLockHeld = false };

        Assert.Multiple(() =>
        {
            Assert.That(_fixture.Collector.Collect(), Is.True);
            Assert.That(_fixture.Collector.Collect(), Is.True, "still not rendered");
        });
    }

    [Test]
    public void Publisher_leaves_the_file_alone_while_nothing_changes()
    {
        using var dir = new TempDirectory();
        var (log, _) = MemoryLogSink.CreateLog();
        using var publisher = new MetricsPublisher(_fixture.Metrics, new TextfileWriter(dir.Path, log));

        publisher.Publish();
        Assert.That(publisher.Flush(TimeSpan.FromSeconds(10)), Is.True);
        for (var i = 0; i < 50; i++)
        {
            publisher.Publish();
        }

        Assert.That(publisher.Flush(TimeSpan.FromSeconds(10)), Is.True);
        var idleWrites = publisher.Writer.Written;

        _fixture.State = _fixture.State with { IsLeader = false };
        publisher.Publish();
        Assert.That(publisher.Flush(TimeSpan.FromSeconds(10)), Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(idleWrites, Is.EqualTo(1), "only the first publish wrote");
            Assert.That(publisher.Writer.Written, Is.EqualTo(2));
            Assert.That(File.ReadAllText(publisher.Writer.Path), Does.Contain("\nctdb_recoverd_is_leader 0\n"));
        });
    }

    [Test]
    [Description("issue 7: an idle iteration does not collect the gauges again, yet every change is still published")]
    public void Publisher_collects_only_when_the_state_or_a_counter_moved()
    {
        using var dir = new TempDirectory();
        var (log, _) = MemoryLogSink.CreateLog();
        using var publisher = new MetricsPublisher(_fixture.Metrics, new TextfileWriter(dir.Path, log));
        publisher.Publish();
        Assert.That(publisher.Flush(TimeSpan.FromSeconds(10)), Is.True);

        var before = _fixture.StateReads;
        for (var i = 0; i < 20; i++)
        {
            _fixture.State = _fixture.State with { NodeMap = NodeMapView.FromFlags([0, 0, NodeFlags.Stopped]) };
            publisher.Publish();
        }

        var idleReads = _fixture.StateReads - before;

        _fixture.Metrics.Record(new RecoveryCause(RecoveryCheck.VnnMapGenerationMismatch, "B38", 2, 5, 7).ToDecision());
        publisher.Publish();
        Assert.That(publisher.Flush(TimeSpan.FromSeconds(10)), Is.True);
        var afterCounter = File.ReadAllText(publisher.Writer.Path);

        _fixture.State = _fixture.State with { NodeMap = NodeMapView.FromFlags([0, 0, 0]) };
        publisher.Publish();
        Assert.That(publisher.Flush(TimeSpan.FromSeconds(10)), Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(idleReads, Is.EqualTo(20), "one look at the state per idle publish, no collection (an equal map is the same state)");
            Assert.That(afterCounter, Does.Contain("\nctdb_recoverd_recoveries_total{cause=\"vnnmap_generation_mismatch\"} 1\n"));
            Assert.That(File.ReadAllText(publisher.Writer.Path), Does.Contain("\nctdb_recoverd_nodes{state=\"ok\"} 3\n"));
        });
    }

    [Test]
    [Description("issue 7: the heartbeat rewrote the same text every 30 s, at ten times the cost of setting the mtime")]
    public void The_heartbeat_sets_the_mtime_of_an_unchanged_file_and_leaves_its_content_alone()
    {
        using var dir = new TempDirectory();
        var clock = new ManualClock();
        using var publisher = PublishedOnce(dir, clock, out var written);
        var writtenAt = File.GetLastWriteTimeUtc(publisher.Writer.Path);

        clock.Advance(MetricsPublisher.Heartbeat - TimeSpan.FromSeconds(1));
        publisher.Publish();
        Assert.That(publisher.Flush(Bound), Is.True);
        var touchedEarly = publisher.Writer.Touched;

        clock.Advance(TimeSpan.FromSeconds(1));
        publisher.Publish();
        Assert.That(publisher.Flush(Bound), Is.True);
        publisher.Publish();
        Assert.That(publisher.Flush(Bound), Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(touchedEarly, Is.Zero, "no heartbeat before it is due");
            Assert.That(publisher.Writer.Touched, Is.EqualTo(1), "one heartbeat, then not again until the next is due");
            Assert.That(publisher.Writer.Written, Is.EqualTo(1), "the unchanged text was not written again");
            Assert.That(File.ReadAllText(publisher.Writer.Path), Is.EqualTo(written));
            Assert.That(File.GetLastWriteTimeUtc(publisher.Writer.Path), Is.EqualTo(clock.GetUtcNow().UtcDateTime));
            Assert.That(File.GetLastWriteTimeUtc(publisher.Writer.Path), Is.Not.EqualTo(writtenAt));
        });
    }

    [Test]
    [Description("issue 7: a heartbeat that finds the file gone writes it again in full")]
    public void A_heartbeat_on_a_removed_file_writes_it_again()
    {
        using var dir = new TempDirectory();
        var clock = new ManualClock();
        using var publisher = PublishedOnce(dir, clock, out var written);
        File.Delete(publisher.Writer.Path);

        clock.Advance(MetricsPublisher.Heartbeat);
        publisher.Publish();
        Assert.That(publisher.Flush(Bound), Is.True);
        publisher.Publish();
        Assert.That(publisher.Flush(Bound), Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(publisher.Writer.Touched, Is.Zero);
            Assert.That(publisher.Writer.Written, Is.EqualTo(2), "written again on the publish after the failed heartbeat");
            Assert.That(File.ReadAllText(publisher.Writer.Path), Is.EqualTo(written));
        });
    }

    /// <summary>A publisher on <paramref name="clock"/> that has written the file once, and what it wrote.</summary>
    private MetricsPublisher PublishedOnce(TempDirectory dir, ManualClock clock, out string written)
    {
        var (log, _) = MemoryLogSink.CreateLog();
        var publisher = new MetricsPublisher(_fixture.Metrics, new TextfileWriter(dir.Path, log), clock);
        publisher.Publish();
        Assert.That(publisher.Flush(Bound), Is.True);
        written = File.ReadAllText(publisher.Writer.Path);
        return publisher;
    }

    /// <summary>Wall clock and timestamps that move only when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private readonly DateTimeOffset _start = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public override DateTimeOffset GetUtcNow() => _start.AddTicks(Interlocked.Read(ref _ticks));
    }
}
