using System.Diagnostics;
using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Configuration;

[Description("recoverd-behaviours §1.3: leader timeout, failover disabled, state database directory")]
public class CtdbConfigReaderTests : ReactorFixture
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    private CtdbLog _log = null!;
    private MemoryLogSink _sink = null!;
    private CtdbConfigReader _reader = null!;

    [SetUp]
    public void CreateReader()
    {
        (_log, _sink) = MemoryLogSink.CreateLog();
        _reader = new CtdbConfigReader(new CommandRunner(Spawner), _log);
    }

    [TearDown]
    public void DisposeLog() => _log.Dispose();

    [Test]
    public async Task Values_AreReadWithCtdbConfigGet()
    {
        var calls = Dir.File("calls");
        var tool = FakeCtdbConfig($"""
            echo "$#|$1|$2|$3" >> {calls}
            case "$2|$3" in
              "cluster|leader timeout") echo 9 ;;
              "failover|disabled") echo true ;;
              "database|state database directory") echo /srv/ctdb/state ;;
              "|") [ "$1" = validate ] || exit 2 ;;
              *) exit 2 ;;
            esac
            """);
        var configuration = await _reader.ReadAsync(tool, Limit, CancellationToken.None);
        Assert.That(configuration, Is.EqualTo(new DaemonConfiguration(9, true, "/srv/ctdb/state")));
        Assert.That(configuration.LeaderTimeout, Is.EqualTo(TimeSpan.FromSeconds(9)));
        // The three runs go out together (start-up time), so their order is not fixed.
        Assert.That(File.ReadAllLines(calls), Is.EquivalentTo(Expect.Lines(
            "3|get|cluster|leader timeout",
            "3|get|failover|disabled",
            "3|get|database|state database directory",
            "1|validate||")));
        Assert.That(_sink.Messages.Where(m => m.Level <= CtdbLogLevel.Warning), Is.Empty);
    }

    [Test]
    public async Task RealCtdbConfig_InTestModeReadsCtdbConf()
    {
        var (ctdbBase, tool) = RealCtdbConfigNode();
        var state = Directory.CreateDirectory(Dir.File("state")).FullName;
        await File.WriteAllTextAsync(Path.Combine(ctdbBase, "ctdb.conf"), $"""
            [cluster]
                leader timeout = 11
            [failover]
                disabled = true
            [database]
                state database directory = {state}
            """);
        Assert.That(await _reader.ReadAsync(tool, Limit, CancellationToken.None), Is.EqualTo(new DaemonConfiguration(11, true, state)));
    }

    [Test]
    public async Task RealCtdbConfig_InvalidFileGivesDefaultsWithClearLines()
    {
        var (ctdbBase, tool) = RealCtdbConfigNode();
        await File.WriteAllTextAsync(Path.Combine(ctdbBase, "ctdb.conf"), "[cluster]\n    leader timeout = 0\n");
        Assert.That(await _reader.ReadAsync(tool, Limit, CancellationToken.None), Is.EqualTo(DaemonConfiguration.Defaults));
        Assert.That(
            _sink.Messages.Where(m => m.Level == CtdbLogLevel.Warning).Select(m => m.Text),
            Has.Exactly(3).Items.And.All.Contains("exit 22: Invalid value for [cluster] -> leader timeout = 0"));
        Assert.That(_sink.Texts, Does.Contain("Unable to read [cluster] leader timeout with ctdb-config (exit 22: Invalid value for [cluster] -> leader timeout = 0), using 5"));
    }

    [Test]
    public async Task RealCtdbConfig_MalformedFileIsReportedOnceAndGivesDefaults()
    {
        // ctdb-config get answers a file it cannot parse with its defaults and exit 0.
        var (ctdbBase, tool) = RealCtdbConfigNode();
        await File.WriteAllTextAsync(Path.Combine(ctdbBase, "ctdb.conf"), "garbage [[[\nfoo = 1\n");

        Assert.That(await _reader.ReadAsync(tool, Limit, CancellationToken.None), Is.EqualTo(DaemonConfiguration.Defaults));
        var errors = _sink.Messages.Where(m => m.Level <= CtdbLogLevel.Error).Select(m => m.Text).ToList();
        Assert.That(errors, Has.Exactly(1).Items);
        Assert.That(errors[0], Does.StartWith("ctdb.conf is not valid (ctdb-config validate: exit 22: "));
        Assert.That(errors[0], Does.Contain("the values below may differ from those ctdbd started with"));
    }

    [Test]
    public async Task RealCtdbConfig_DirectoryInPlaceOfTheFileIsReported()
    {
        // ctdb-config (get and validate alike) treats an unreadable path as no file at all.
        var (ctdbBase, tool) = RealCtdbConfigNode();
        var conf = Directory.CreateDirectory(Path.Combine(ctdbBase, "ctdb.conf")).FullName;
        var environment = CtdbEnvironment.From(new Dictionary<string, string> { ["CTDB_TEST_MODE"] = "yes", ["CTDB_BASE"] = ctdbBase });

        Assert.That(await _reader.ReadAsync(tool, Limit, CancellationToken.None, CtdbConfFile.PathFor(environment)), Is.EqualTo(DaemonConfiguration.Defaults));
        Assert.That(_sink.Messages.Where(m => m.Level <= CtdbLogLevel.Error).Select(m => m.Text),
            Has.Exactly(1).StartsWith($"ctdb.conf is not valid ({conf} is a directory)"));
    }

    [Test]
    public async Task RealCtdbConfig_FileWrittenAfterCtdbdStartedIsReported()
    {
        // ctdb-config accepts a section header without its bracket as an empty file: valid,
        // all defaults. Only the file's age tells that ctdbd may run with something else.
        var (ctdbBase, tool) = RealCtdbConfigNode();
        var conf = Path.Combine(ctdbBase, "ctdb.conf");
        await File.WriteAllTextAsync(conf, "[cluster\n\tleader timeout = banana\n");
        var ctdbdStarted = File.GetLastWriteTimeUtc(conf).AddMinutes(-1);

        Assert.That(await _reader.ReadAsync(tool, Limit, CancellationToken.None, conf, ctdbdStarted), Is.EqualTo(DaemonConfiguration.Defaults));
        Assert.That(_sink.Messages.Where(m => m.Level == CtdbLogLevel.Warning).Select(m => m.Text),
            Has.Exactly(1).StartsWith($"ctdb.conf changed after ctdbd started ({conf} was written at "));
        Assert.That(_sink.Messages.Where(m => m.Level == CtdbLogLevel.Error), Is.Empty);
    }

    [Test]
    public void ConfFile_OlderThanCtdbdOrTimesUnknown_IsNotReported()
    {
        var conf = Dir.File("ctdb.conf");
        File.WriteAllText(conf, "[cluster]\n");
        Assert.Multiple(() =>
        {
            Assert.That(CtdbConfFile.ChangedSince(conf, File.GetLastWriteTimeUtc(conf).AddSeconds(1)), Is.Null);
            Assert.That(CtdbConfFile.ChangedSince(conf, null), Is.Null);
            Assert.That(CtdbConfFile.ChangedSince(Dir.File("absent.conf"), DateTime.UnixEpoch), Is.Null);
        });
    }

    [Test]
    public void ProcessStartTime_OfThisProcessIsItsStartTime()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var started = CtdbConfFile.ProcessStartUtc(Environment.ProcessId);
        Assert.That(started, Is.Not.Null);
        Assert.That(started!.Value, Is.EqualTo(self.StartTime.ToUniversalTime()).Within(TimeSpan.FromSeconds(2)));
        Assert.That(CtdbConfFile.ProcessStartUtc(int.MaxValue), Is.Null, "no such process");
    }

    [Test]
    public void ConfFile_IsCtdbBasesOnlyInTestMode()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CtdbConfFile.PathFor(CtdbEnvironment.From(new Dictionary<string, string> { ["CTDB_BASE"] = "/x" })), Is.EqualTo("/etc/ctdb/ctdb.conf"));
            Assert.That(CtdbConfFile.PathFor(CtdbEnvironment.From(new Dictionary<string, string> { ["CTDB_BASE"] = "/x", ["CTDB_TEST_MODE"] = "1" })), Is.EqualTo("/x/ctdb.conf"));
            Assert.That(CtdbConfFile.ReadProblem(Dir.File("absent.conf")), Is.Null, "no file is a valid configuration");
        });
    }

    [TestCase("0", "Invalid [cluster] leader timeout \"0\" from ctdb-config, using 5")]
    [TestCase("-3", "Invalid [cluster] leader timeout \"-3\" from ctdb-config, using 5")]
    [TestCase("five", "Invalid [cluster] leader timeout \"five\" from ctdb-config, using 5")]
    [TestCase("", "Invalid [cluster] leader timeout \"\" from ctdb-config, using 5")]
    public async Task OddOutput_GivesTheDefaultAndSaysSo(string printed, string logText)
    {
        var tool = FakeCtdbConfig($"""
            case "$2" in
              cluster) echo "{printed}" ;;
              failover) echo maybe ;;
              database) echo relative/dir ;;
            esac
            """);
        Assert.That(await _reader.ReadAsync(tool, Limit, CancellationToken.None), Is.EqualTo(DaemonConfiguration.Defaults));
        Assert.That(_sink.Texts, Does.Contain(logText));
        Assert.That(_sink.Texts, Does.Contain("Invalid [failover] disabled \"maybe\" from ctdb-config, using false"));
        Assert.That(_sink.Texts, Does.Contain("Invalid [database] state database directory \"relative/dir\" from ctdb-config, using /var/lib/ctdb/state"));
    }

    [Test]
    public async Task MissingTool_GivesDefaults()
    {
        Assert.That(await _reader.ReadAsync(Dir.File("ctdb-config"), Limit, CancellationToken.None), Is.EqualTo(DaemonConfiguration.Defaults));
        Assert.That(_sink.Messages.Count(m => m.Level == CtdbLogLevel.Warning && m.Text.StartsWith("Unable to run", StringComparison.Ordinal)), Is.EqualTo(3));
    }

    [Test]
    public async Task HangingTool_IsBoundedAndGivesDefaults()
    {
        var tool = FakeCtdbConfig("exec sleep 60");
        var watch = Stopwatch.StartNew();
        Assert.That(await _reader.ReadAsync(tool, TimeSpan.FromMilliseconds(200), CancellationToken.None), Is.EqualTo(DaemonConfiguration.Defaults));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(_sink.Texts, Does.Contain($"\"{tool}\" did not answer for [cluster] leader timeout within 0.2 s, using 5"));
    }

    private string FakeCtdbConfig(string body) => Dir.Script("ctdb-config", body);

    /// <summary>An empty CTDB_BASE for one node, and Debian's ctdb-config run in test mode against it.</summary>
    private (string CtdbBase, string Tool) RealCtdbConfigNode()
    {
        var ctdbBase = Directory.CreateDirectory(Dir.File("node.0")).FullName;
        return (ctdbBase, FakeCtdbConfig($"CTDB_TEST_MODE=yes CTDB_BASE={ctdbBase} exec /usr/libexec/ctdb/ctdb-config \"$@\""));
    }
}
