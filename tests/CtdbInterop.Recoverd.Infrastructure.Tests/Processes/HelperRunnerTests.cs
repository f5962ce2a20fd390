using System.Diagnostics;
using System.Globalization;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Processes;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Processes;

[Description("recoverd-behaviours B59, B60, B62, B04; §7 mistake 8")]
[TestFixture(ChildWatching.Pidfd)]
[TestFixture(ChildWatching.PolledWaitpid)]
public class HelperRunnerTests(ChildWatching watching) : ReactorFixture(watching)
{
    private const string Socket = "/run/ctdb/ctdbd.socket";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private CtdbLog _log = null!;
    private MemoryLogSink _sink = null!;
    private HelperRunner _runner = null!;

    [SetUp]
    public void CreateRunner()
    {
        (_log, _sink) = MemoryLogSink.CreateLog();
        _runner = new HelperRunner(Spawner, _log);
    }

    [TearDown]
    public void DisposeLog() => _log.Dispose();

    [Test]
    public async Task Success_ReturnsTheIntWritten()
    {
        var helper = Dir.Script("helper", """printf '\000\000\000\000' >&"$1" """);
        var result = await Run(HelperKind.Recovery, helper, "42");
        Assert.That(result, Is.EqualTo(new HelperResult(0)));
        Assert.That(result.Succeeded, Is.True);
    }

    [TestCase(@"\026\000\000\000", 22)]
    [TestCase(@"\377\377\377\377", -1)]
    [TestCase(@"\001\001\000\000", 257)]
    public async Task Takeover_ReturnsTheErrnoWritten(string bytes, int expected)
    {
        var helper = Dir.Script("helper", $"printf '{bytes}' >&\"$1\"; exit 1");
        Assert.That(await Run(HelperKind.Takeover, helper, null), Is.EqualTo(new HelperResult(expected)));
    }

    [Test]
    public async Task FailureWithoutWriting_IsEndOfFile()
    {
        var helper = Dir.Script("helper", "exit 1");
        var result = await Run(HelperKind.Recovery, helper, "42");
        Assert.That(result, Is.EqualTo(HelperResult.NoResult));
        Assert.That(result.Value, Is.EqualTo(LibC.EPIPE));
        Assert.That(result.Succeeded, Is.False);
    }

    [Test]
    public async Task ShortWrite_IsEndOfFile()
    {
        var helper = Dir.Script("helper", """printf '\000\000' >&"$1" """);
        Assert.That(await Run(HelperKind.Recovery, helper, "42"), Is.EqualTo(HelperResult.NoResult));
    }

    [Test]
    public async Task Arguments_AreFdSocketAndOptionalArgument()
    {
        var record = Dir.File("record");
        var helper = Dir.Script("helper", $$"""
            echo "$#|$0|$1|$2|${3-none}|$CTDB_DBDIR_STATE|${CTDB_DISABLE_IP_FAILOVER-unset}" >> {{record}}
            printf '\000\000\000\000' >&"$1"
            """);
        await Run(HelperKind.Recovery, helper, "1234", [new("CTDB_DBDIR_STATE", "/var/lib/ctdb/state")]);
        await Run(HelperKind.Takeover, helper, null, [new("CTDB_DISABLE_IP_FAILOVER", "1")]);
        await Run(HelperKind.Takeover, helper, "1,2");
        Assert.That(File.ReadAllLines(record), Is.EqualTo(Expect.Lines(
            $"3|{helper}|3|{Socket}|1234|/var/lib/ctdb/state|unset",
            $"2|{helper}|3|{Socket}|none||1",
            $"3|{helper}|3|{Socket}|1,2||unset")));
    }

    [Test]
    public async Task Helper_IsKilledAndReapedAfterItsResult()
    {
        var pidFile = Dir.File("pid");
        var helper = Dir.Script("helper", $"""
            echo $$ > {pidFile}
            printf '\000\000\000\000' >&"$1"
            exec sleep 60
            """);
        var watch = Stopwatch.StartNew();
        Assert.That(await Run(HelperKind.Recovery, helper, "1"), Is.EqualTo(new HelperResult(0)));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(ProcessProbe.IsGone(ReadPid(pidFile)), Is.True, "SIGKILLed and reaped before RunAsync returned");
        Assert.That(_runner.IsRunning, Is.False);
    }

    [Test]
    [Description("B60: leadership moved while the helper runs")]
    public async Task Cancellation_KillsTheHelperAndThrows()
    {
        var pidFile = Dir.File("pid");
        var helper = Dir.Script("helper", $"echo $$ > {pidFile}; exec sleep 60");
        using var abort = new CancellationTokenSource();
        var run = _runner.RunAsync(HelperKind.Recovery, helper, Socket, "7", null, abort.Token);
        Assert.That(await ProcessProbe.WaitUntilAsync(() => File.Exists(pidFile) && new FileInfo(pidFile).Length > 0, Bound), Is.True);
        Assert.That(_runner.IsRunning, Is.True);
        await abort.CancelAsync();
        Assert.That(async () => await run.WaitAsync(Bound), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(ProcessProbe.IsGone(ReadPid(pidFile)), Is.True);
        Assert.That(_runner.IsRunning, Is.False);
    }

    [Test]
    [Description("§7 mistake 8 / latent issue 5: no other child may inherit the result pipe")]
    public async Task WriteEnd_IsNotInheritedByConcurrentlySpawnedChildren()
    {
        // The helper fails after a moment without writing. If either long-lived child below
        // held a copy of the write end, end of file would only come when it dies (60 s).
        var pidFile = Dir.File("pid");
        var helper = Dir.Script("helper", $"echo $$ > {pidFile}; sleep 1; exit 1");
        var run = _runner.RunAsync(HelperKind.Recovery, helper, Socket, "9", null, CancellationToken.None);
        Assert.That(await ProcessProbe.WaitUntilAsync(() => File.Exists(pidFile) && new FileInfo(pidFile).Length > 0, Bound), Is.True);
        var resultPipe = ProcessProbe.Descriptors(ReadPid(pidFile))[HelperRunner.ResultFd];
        Assert.That(resultPipe, Does.StartWith("pipe:"));

        using var ours = Spawner.Spawn(new SpawnRequest("/bin/sleep", ["/bin/sleep", "60"], ChildEnvironment.Build(), []));
        using var theirs = Process.Start(new ProcessStartInfo("/bin/sleep", ["60"]))!;
        try
        {
            var watch = Stopwatch.StartNew();
            Assert.That(await run.WaitAsync(Bound), Is.EqualTo(HelperResult.NoResult));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(ProcessProbe.IsRunning(ours.Pid) && ProcessProbe.IsRunning(theirs.Id), Is.True, "the other children are still alive");
            Assert.That(
                await ProcessProbe.WaitUntilAsync(() => ProcessProbe.Descriptors(ours.Pid).Keys.Order().SequenceEqual(Enumerable.Range(0, 3)), Bound),
                Is.True,
                string.Join(", ", ProcessProbe.Descriptors(ours.Pid)));
            Assert.That(ProcessProbe.Descriptors(theirs.Id).Values, Has.No.EqualTo(resultPipe));
        }
        finally
        {
            theirs.Kill();
            await theirs.WaitForExitAsync();
            ours.Signal(LibC.SIGKILL);
            await ours.Exited.WaitAsync(Bound);
        }
    }

    [Test]
    [Description("§7 mistake 8: spawns racing with helper start-up never capture a write end")]
    public async Task WriteEnd_IsNotInheritedUnderConcurrentSpawning()
    {
        var helper = Dir.Script("helper", "sleep 0.2; exit 1");
        var sleepers = new List<ChildProcess>();
        var others = new List<Process>();
        using var stop = new CancellationTokenSource();
        var spawning = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                lock (sleepers)
                {
                    sleepers.Add(Spawner.Spawn(new SpawnRequest("/bin/sleep", ["/bin/sleep", "60"], ChildEnvironment.Build(), [])));
                    others.Add(Process.Start(new ProcessStartInfo("/bin/sleep", ["60"]))!);
                }

                await Task.Delay(5);
            }
        });
        try
        {
            var runs = Enumerable.Range(0, 20).Select(_ => Task.Run(() => _runner.RunAsync(HelperKind.Recovery, helper, Socket, "1", null, CancellationToken.None)));
            var results = await Task.WhenAll(runs).WaitAsync(Bound);
            Assert.That(results, Is.All.EqualTo(HelperResult.NoResult));
        }
        finally
        {
            await stop.CancelAsync();
            await spawning;
            foreach (var sleeper in sleepers)
            {
                sleeper.Dispose();
            }

            foreach (var other in others)
            {
                other.Kill();
                other.Dispose();
            }
        }

        Assert.That(sleepers, Has.Count.GreaterThan(10), "children were spawned while the helpers ran");
    }

    [Test]
    [Description("B04: SIGHUP goes to the running helper")]
    public async Task ForwardSignal_ReachesTheRunningHelper()
    {
        var pidFile = Dir.File("pid");
        var marker = Dir.File("hup");
        var helper = Dir.Script("helper", $"""
            trap 'echo hup > {marker}' HUP
            echo $$ > {pidFile}
            i=0
            while [ ! -s {marker} ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
            printf '\000\000\000\000' >&"$1"
            """);
        Assert.That(_runner.ForwardSignal(LibC.SIGHUP), Is.Zero, "nothing runs yet");
        var run = _runner.RunAsync(HelperKind.Takeover, helper, Socket, null, null, CancellationToken.None);
        Assert.That(await ProcessProbe.WaitUntilAsync(() => File.Exists(pidFile) && new FileInfo(pidFile).Length > 0, Bound), Is.True);
        Assert.That(_runner.ForwardSignal(LibC.SIGHUP), Is.EqualTo(1));
        Assert.That(await run.WaitAsync(Bound), Is.EqualTo(new HelperResult(0)));
        Assert.That(File.ReadAllText(marker), Is.EqualTo("hup\n"));
    }

    [Test]
    public async Task MissingHelper_IsNotStartedWithCtdbsLogText()
    {
        Assert.That(await Run(HelperKind.Takeover, Dir.File("missing"), null), Is.EqualTo(HelperResult.NotStarted));
        Assert.That(_sink.Messages, Does.Contain((CtdbLogLevel.Error, "Failed to create child for takeover helper")));
    }

    [Test]
    [Description("Real ctdb_recovery_helper: writes nothing when it fails")]
    public async Task RealRecoveryHelper_FailingToConnectGivesEndOfFile()
    {
        var result = await _runner.RunAsync(HelperKind.Recovery, "/usr/libexec/ctdb/ctdb_recovery_helper", Dir.File("no.socket"), "12345", QuietCtdbLogging, CancellationToken.None).WaitAsync(Bound);
        Assert.That(result, Is.EqualTo(HelperResult.NoResult));
    }

    [Test]
    [Description("Real ctdb_takeover_helper: always writes its result")]
    public async Task RealTakeoverHelper_FailingToConnectWritesErrno()
    {
        var result = await _runner.RunAsync(HelperKind.Takeover, "/usr/libexec/ctdb/ctdb_takeover_helper", Dir.File("no.socket"), null, QuietCtdbLogging, CancellationToken.None).WaitAsync(Bound);
        Assert.That(result, Is.EqualTo(new HelperResult(LibC.ENOENT)));
    }

    private static KeyValuePair<string, string>[] QuietCtdbLogging =>
        [new("CTDB_LOGGING", "file:/dev/null"), new("CTDB_DEBUGLEVEL", "ERROR")];

    private Task<HelperResult> Run(HelperKind kind, string helper, string? argument, IEnumerable<KeyValuePair<string, string>>? environment = null) =>
        _runner.RunAsync(kind, helper, Socket, argument, environment, CancellationToken.None).WaitAsync(Bound);

    private static int ReadPid(string path) => int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
}
