using System.Diagnostics;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Metrics;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Metrics;

[Description("issue 7: the metrics file is written by one long-lived thread, never held up by the file system")]
public class MetricsWriterThreadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Test]
    [Description("The thread pool retired its idle worker between two 30 s heartbeats, so every write started a thread")]
    public void Every_write_runs_on_the_same_thread_outside_the_thread_pool()
    {
        var files = new RecordingFileSystem();
        using var fixture = new MetricsFixture();
        using var publisher = Publisher(fixture, files);

        for (var i = 0; i < 5; i++)
        {
            fixture.State = fixture.State with { Leader = (uint)i };
            publisher.Publish();
            Assert.That(publisher.Flush(Bound), Is.True);
        }

        Assert.Multiple(() =>
        {
            Assert.That(files.Writes, Has.Count.EqualTo(5), "each change written once");
            Assert.That(files.Writes.Select(w => w.ThreadId).Distinct().Count(), Is.EqualTo(1));
            Assert.That(files.Writes.Any(w => w.OnThreadPool), Is.False);
            Assert.That(files.Writes[^1].Text, Does.Contain("\nctdb_recoverd_leader_pnn 4\n"));
        });
    }

    [Test]
    [Description("A write hung in the file system (a dead NFS mount) holds up neither the loop nor shutdown")]
    public void A_hung_write_blocks_neither_publishing_nor_disposal()
    {
        using var release = new ManualResetEventSlim();
        var files = new RecordingFileSystem(release);
        var fixture = new MetricsFixture();
        var publisher = Publisher(fixture, files);
        var disposed = false;
        try
        {
            publisher.Publish();
            Assert.That(files.Entered.Wait(Bound), Is.True, "the first write started");

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 50; i++)
            {
                fixture.State = fixture.State with { Leader = (uint)i };
                publisher.Publish();
            }

            var publishing = clock.Elapsed;
            var flushed = publisher.Flush(TimeSpan.FromMilliseconds(200));
            clock.Restart();
            publisher.Dispose();
            disposed = true;
            var disposing = clock.Elapsed;

            Assert.Multiple(() =>
            {
                Assert.That(publishing, Is.LessThan(TimeSpan.FromSeconds(2)), "publishing only hands text over");
                Assert.That(flushed, Is.False, "the write is still hung");
                Assert.That(disposing, Is.LessThan(TimeSpan.FromSeconds(5)), "disposal waits for a bounded time only");
            });
        }
        finally
        {
            release.Set();
            if (!disposed)
            {
                publisher.Dispose();
            }

            fixture.Dispose();
        }
    }

    private static MetricsPublisher Publisher(MetricsFixture fixture, RecordingFileSystem files)
    {
        var (log, _) = MemoryLogSink.CreateLog();
        return new MetricsPublisher(fixture.Metrics, new TextfileWriter("/nonexistent/metrics", log, files));
    }

    private sealed record Write(string Text, int ThreadId, bool OnThreadPool);

    /// <summary>Records which thread wrote what; with <c>release</c>, holds every write until it is set.</summary>
    private sealed class RecordingFileSystem(ManualResetEventSlim? release = null) : IMetricsFileSystem
    {
        private readonly List<Write> _writes = [];

        public ManualResetEventSlim Entered { get; } = new();

        public IReadOnlyList<Write> Writes
        {
            get
            {
                lock (_writes)
                {
                    return [.. _writes];
                }
            }
        }

        public void WriteAllText(string path, string text)
        {
            lock (_writes)
            {
                _writes.Add(new Write(text, Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
            }

            Entered.Set();
            release?.Wait(TimeSpan.FromSeconds(30));
        }

        public void Replace(string source, string destination)
        {
        }

        public void DeleteIfExists(string path)
        {
        }

        public void SetLastWriteTime(string path, DateTimeOffset time)
        {
        }
    }
}
