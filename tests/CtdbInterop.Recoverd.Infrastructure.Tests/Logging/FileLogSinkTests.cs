using System.Text.RegularExpressions;
using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Logging;

[Description("recoverd-behaviours §1.7: file: logging, levels, SIGHUP reopen")]
public class FileLogSinkTests
{
    private static readonly Regex Line = new(
        @"^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d) (?<host>\S+) ctdb-recoverd\[(?<pid>\d+)\]: (?<text>.*)$",
        RegexOptions.CultureInvariant);

    [Test]
    public void Lines_HaveCtdbHeaderWithHostNameAndPid()
    {
        using var dir = new TempDirectory();
        var path = dir.File("log.ctdb");
        using (var log = CtdbLogFactory.Create(CtdbEnvironment.From(new Dictionary<string, string>
        {
            ["CTDB_LOGGING"] = "file:" + path,
            ["CTDB_DEBUGLEVEL"] = "NOTICE",
        })))
        {
            log.Notice("Cluster lock taken successfully");
        }

        var lines = File.ReadAllLines(path);
        Assert.That(lines, Has.Length.EqualTo(1));
        var match = Line.Match(lines[0]);
        Assert.That(match.Success, Is.True, lines[0]);
        Assert.That(match.Groups["host"].Value, Is.EqualTo(LogHostName.System()));
        Assert.That(match.Groups["pid"].Value, Is.EqualTo(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(match.Groups["text"].Value, Is.EqualTo("Cluster lock taken successfully"));
        var stamp = DateTimeOffset.Parse(match.Groups["time"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(stamp, Is.EqualTo(DateTimeOffset.Now).Within(TimeSpan.FromMinutes(1)));
        Assert.That(stamp.Offset, Is.EqualTo(TimeZoneInfo.Local.GetUtcOffset(stamp)));
    }

    [TestCase("/tmp/x/node.2", "node.2")]
    [TestCase("node.5", "node.5")]
    [TestCase("/tmp/x/", "unknown")]
    public void TestMode_HostIsLastComponentOfCtdbBase(string ctdbBase, string host)
    {
        using var dir = new TempDirectory();
        var path = dir.File("log.ctdb");
        using (var log = CtdbLogFactory.Create(CtdbEnvironment.From(new Dictionary<string, string>
        {
            ["CTDB_LOGGING"] = "file:" + path,
            ["CTDB_DEBUGLEVEL"] = "ERROR",
            ["CTDB_TEST_MODE"] = "yes",
            ["CTDB_BASE"] = ctdbBase,
        })))
        {
            log.Error("x");
        }

        Assert.That(Line.Match(File.ReadAllText(path).TrimEnd('\n')).Groups["host"].Value, Is.EqualTo(host));
    }

    [Test]
    public void Timestamp_UsesTheRealOffset() =>
        Assert.That(
            LogTimestamp.Format(new DateTimeOffset(2026, 11, 26, 4, 36, 21, 47, TimeSpan.FromMinutes(330)).AddTicks(9600)),
            Is.EqualTo("2026-11-26T04:36:21.047960+05:30"));

    [Test]
    public void Levels_FilterAndChangeAtRunTime()
    {
        using var dir = new TempDirectory();
        var path = dir.File("log.ctdb");
        using (var log = CtdbLogFactory.Create(CtdbEnvironment.From(new Dictionary<string, string>
        {
            ["CTDB_LOGGING"] = "file:" + path,
            ["CTDB_DEBUGLEVEL"] = "NOTICE",
        })))
        {
            Assert.That(log.Level, Is.EqualTo(CtdbLogLevel.Notice));
            Assert.That(log.IsEnabled(CtdbLogLevel.Warning), Is.True);
            Assert.That(log.IsEnabled(CtdbLogLevel.Info), Is.False);
            log.Error("one");
            log.Warning("two");
            log.Notice("three");
            log.Info("hidden info");
            log.Debug("hidden debug");
            log.Level = CtdbLogLevel.Debug;
            log.Debug("four");
            log.Level = (CtdbLogLevel)4;
            log.Log((CtdbLogLevel)4, "five");
            log.Info("hidden again");
            log.Level = CtdbLogLevel.Error;
            log.Warning("hidden warning");
            log.Error("six\n");
        }

        var texts = File.ReadAllLines(path).Select(l => Line.Match(l).Groups["text"].Value);
        Assert.That(texts, Is.EqualTo(Expect.Lines("one", "two", "three", "four", "five", "six")));
    }

    [Test]
    public void Lines_AreAppendedToExistingContent()
    {
        using var dir = new TempDirectory();
        var path = dir.File("log.ctdb");
        File.WriteAllText(path, "ctdbd line\n");
        var environment = CtdbEnvironment.From(new Dictionary<string, string> { ["CTDB_LOGGING"] = "file:" + path, ["CTDB_DEBUGLEVEL"] = "ERROR" });
        using var first = CtdbLogFactory.Create(environment);
        using var second = CtdbLogFactory.Create(environment);
        for (var i = 0; i < 50; i++)
        {
            first.Error($"first {i}");
            second.Error($"second {i}");
        }

        var lines = File.ReadAllLines(path);
        Assert.That(lines[0], Is.EqualTo("ctdbd line"));
        Assert.That(lines, Has.Length.EqualTo(101), "two writers must interleave, not overwrite each other");
        Assert.That(lines.Skip(1).Select(l => Line.Match(l).Groups["text"].Value), Is.EqualTo(Enumerable.Range(0, 50).SelectMany(i => Expect.Lines($"first {i}", $"second {i}"))));
    }

    [Test]
    public void Reopen_StartsANewFileAfterRotationAndSaysSo()
    {
        using var dir = new TempDirectory();
        var path = dir.File("log.ctdb");
        using var log = CtdbLogFactory.Create(CtdbEnvironment.From(new Dictionary<string, string> { ["CTDB_LOGGING"] = "file:" + path, ["CTDB_DEBUGLEVEL"] = "NOTICE" }));
        log.Notice("before rotation");
        File.Move(path, path + ".1");
        log.Notice("still old file");
        Assert.That(log.ReopenLogs(), Is.True);
        log.Notice("after rotation");

        Assert.That(File.ReadAllLines(path + ".1").Select(l => Line.Match(l).Groups["text"].Value), Is.EqualTo(Expect.Lines("before rotation", "still old file")));
        Assert.That(File.ReadAllLines(path).Select(l => Line.Match(l).Groups["text"].Value), Is.EqualTo(Expect.Lines("Reopened logs", "after rotation")));
    }

    [Test]
    public void Reopen_FailureKeepsTheOldFileAndWarns()
    {
        using var dir = new TempDirectory();
        var sub = Directory.CreateDirectory(dir.File("sub")).FullName;
        var path = Path.Combine(sub, "log.ctdb");
        using var log = CtdbLogFactory.Create(CtdbEnvironment.From(new Dictionary<string, string> { ["CTDB_LOGGING"] = "file:" + path, ["CTDB_DEBUGLEVEL"] = "NOTICE" }));
        log.Notice("first");
        var moved = dir.File("moved");
        Directory.Move(sub, moved);
        Assert.That(log.ReopenLogs(), Is.False);
        Assert.That(
            File.ReadAllLines(Path.Combine(moved, "log.ctdb")).Select(l => Line.Match(l).Groups["text"].Value),
            Is.EqualTo(Expect.Lines("first", "Failed to reopen logs")));
    }

    [Test]
    public void UnusableSettings_FallBackWithoutFailing()
    {
        using var log = CtdbLogFactory.Create(CtdbEnvironment.From(new Dictionary<string, string>
        {
            ["CTDB_LOGGING"] = "file:/nonexistent-dir/x/log.ctdb",
            ["CTDB_DEBUGLEVEL"] = "LOUD",
        }));
        Assert.That(log.Sink, Is.TypeOf<StderrLogSink>());
        Assert.That(log.Level, Is.EqualTo(CtdbLogLevel.Notice));
    }
}
