using System.Diagnostics;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Metrics;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Metrics;

[Description("issue 10: atomic textfile writes that never fail the loop and log once")]
public class TextfileWriterTests
{
    private static readonly string[] OnlyTheMetricsFile = ["ctdb_recoverd.prom"];
    private static readonly string[] OnlyTheFiller = ["filler"];
    private TempDirectory _dir = null!;
    private readonly List<string> _mounts = [];

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown()
    {
        foreach (var mount in _mounts)
        {
            Run("umount", mount);
        }

        _mounts.Clear();

        _dir.Dispose();
    }

    [Test]
    public void Write_replaces_the_file_by_rename_and_leaves_no_temporary()
    {
        var (log, _) = MemoryLogSink.CreateLog();
        var writer = new TextfileWriter(_dir.Path, log);
        Assert.That(writer.TryWrite("a 1\n"), Is.True);

        // A reader that opened the old file keeps reading the complete old text: the new text
        // arrived as a different inode (temp + rename), never by rewriting in place.
        using var reader = new StreamReader(writer.Path);
        Assert.That(writer.TryWrite("a 2\n"), Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(reader.ReadToEnd(), Is.EqualTo("a 1\n"));
            Assert.That(File.ReadAllText(writer.Path), Is.EqualTo("a 2\n"));
            Assert.That(Directory.GetFiles(_dir.Path).Select(Path.GetFileName), Is.EqualTo(OnlyTheMetricsFile));
        });
    }

    [Test]
    public void Missing_directory_is_logged_once_and_recovery_is_logged_once()
    {
        var (log, sink) = MemoryLogSink.CreateLog();
        var missing = Path.Combine(_dir.Path, "not-yet");
        var writer = new TextfileWriter(missing, log);

        var results = Enumerable.Range(0, 20).Select(_ => writer.TryWrite("a 1\n")).ToArray();
        Directory.CreateDirectory(missing);
        var recovered = writer.TryWrite("a 2\n");

        Assert.Multiple(() =>
        {
            Assert.That(results, Has.All.False);
            Assert.That(writer.Failed, Is.EqualTo(20));
            Assert.That(sink.Texts.Count(t => t.StartsWith("Unable to write metrics file", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(sink.Texts.Single(t => t.StartsWith("Unable", StringComparison.Ordinal)), Does.Contain("directory missing"));
            Assert.That(recovered, Is.True);
            Assert.That(sink.Texts, Has.One.EqualTo($"Metrics file {writer.Path} written again"));
        });
    }

    [Test]
    public void Read_only_directory_is_logged_once()
    {
        var mount = Mount("ro,size=64k");
        var (log, sink) = MemoryLogSink.CreateLog();
        var writer = new TextfileWriter(mount, log);

        var results = Enumerable.Range(0, 10).Select(_ => writer.TryWrite("a 1\n")).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(results, Has.All.False);
            Assert.That(sink.Texts, Has.Exactly(1).Contains("read-only file system"));
        });
    }

    [Test]
    public void Full_file_system_is_logged_once_and_leaves_no_partial_file()
    {
        var mount = Mount("size=8k");
        File.WriteAllBytes(Path.Combine(mount, "filler"), new byte[8192]);
        var (log, sink) = MemoryLogSink.CreateLog();
        var writer = new TextfileWriter(mount, log);

        var big = new string('x', 64 * 1024);
        var results = Enumerable.Range(0, 10).Select(_ => writer.TryWrite(big)).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(results, Has.All.False);
            Assert.That(sink.Texts, Has.Exactly(1).Contains("no space left"));
            Assert.That(File.Exists(writer.Path), Is.False, "a half-written file is never renamed into place");
            Assert.That(Directory.GetFiles(mount).Select(Path.GetFileName), Is.EqualTo(OnlyTheFiller), "the temporary file is removed");
        });
    }

    [Test]
    public void Publisher_never_blocks_or_throws_with_a_bad_directory_and_logs_once()
    {
        var (log, sink) = MemoryLogSink.CreateLog();
        using var fixture = new MetricsFixture();
        using var publisher = new MetricsPublisher(fixture.Metrics, new TextfileWriter(Path.Combine(_dir.Path, "missing"), log));

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            publisher.Publish();
        }

        var publishTime = clock.Elapsed;
        Assert.That(publisher.Flush(TimeSpan.FromSeconds(10)), Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(publishTime, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(publisher.Writer.Written, Is.Zero);
            Assert.That(publisher.Writer.Failed, Is.InRange(1, 200), "writes coalesce: at most one per publish");
            Assert.That(sink.Texts.Count(t => t.StartsWith("Unable to write metrics file", StringComparison.Ordinal)), Is.EqualTo(1));
        });
    }

    [Test]
    public void Publisher_writes_the_latest_state()
    {
        var (log, _) = MemoryLogSink.CreateLog();
        using var fixture = new MetricsFixture();
        using var publisher = new MetricsPublisher(fixture.Metrics, new TextfileWriter(_dir.Path, log));

        publisher.Publish();
        fixture.State = fixture.State with { IsLeader = false, Leader = 2 };
        publisher.Publish();
        Assert.That(publisher.Flush(TimeSpan.FromSeconds(10)), Is.True);

        var text = File.ReadAllText(publisher.Writer.Path);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("\nctdb_recoverd_leader_pnn 2\n"));
            Assert.That(text, Does.Contain("\nctdb_recoverd_is_leader 0\n"));
        });
    }

    [TestCase(null, MetricsOptions.DefaultDirectory)]
    [TestCase("/srv/metrics", "/srv/metrics")]
    [TestCase("", null)]
    [TestCase("off", null)]
    [TestCase("none", null)]
    public void Options_come_from_CTDB_RECOVERD_METRICS_DIR(string? value, string? directory)
    {
        var options = MetricsOptions.Parse(value);
        using var publisher = MetricsPublisher.Create(options, () => default, MemoryLogSink.CreateLog().Log);
        Assert.Multiple(() =>
        {
            Assert.That(options.Directory, Is.EqualTo(directory));
            Assert.That(options.Enabled, Is.EqualTo(directory is not null));
            Assert.That(publisher is null, Is.EqualTo(directory is null), "switched off: no meter, no listener, no file");
        });
    }

    private string Mount(string options)
    {
        var target = Path.Combine(_dir.Path, "mnt" + _mounts.Count);
        Directory.CreateDirectory(target);
        Run("mount", "-t", "tmpfs", "-o", options, "cti-metrics-test", target);
        _mounts.Add(target);
        return target;
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
        }

        Assert.That(process.ExitCode, Is.Zero, $"{program} {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
    }
}
