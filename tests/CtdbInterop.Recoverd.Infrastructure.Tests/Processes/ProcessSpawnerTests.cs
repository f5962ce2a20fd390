using System.Diagnostics;
using System.Globalization;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Native;
using CtdbInterop.Recoverd.Processes;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Processes;

[Description("recoverd-behaviours B06, B59: spawning and reaping only our own children")]
[TestFixture(ChildWatching.Pidfd)]
[TestFixture(ChildWatching.PolledWaitpid)]
public class ProcessSpawnerTests(ChildWatching watching) : ReactorFixture(watching)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Test]
    public void Spawner_WatchesChildrenTheWayTheFixtureAsked() =>
        Assert.That(Spawner.UsesPidfds, Is.EqualTo(Watching == ChildWatching.Pidfd), "this kernel has pidfd_open");

    [Test]
    public async Task Exited_ReportsExitCode()
    {
        using var child = Spawn("/bin/sh", "-c", "exit 7");
        var status = await child.Exited.WaitAsync(Bound);
        Assert.That(status, Is.EqualTo(new ChildExitStatus(7, null)));
        Assert.That(ProcessProbe.IsGone(child.Pid), Is.True, "reaped, not a zombie");
    }

    [Test]
    public async Task Exited_ReportsTerminatingSignal()
    {
        using var child = Spawn("/bin/sleep", "30");
        Assert.That(child.Signal(LibC.SIGKILL), Is.True);
        var status = await child.Exited.WaitAsync(Bound);
        Assert.That(status, Is.EqualTo(new ChildExitStatus(null, LibC.SIGKILL)));
        Assert.That(child.Signal(LibC.SIGTERM), Is.False, "no signal after reaping");
    }

    [Test]
    public void Spawn_MissingProgramThrowsWithErrno()
    {
        var error = Assert.Throws<UnixException>(() => Spawn("/nonexistent/helper"));
        Assert.That(error!.Errno, Is.EqualTo(LibC.ENOENT));
    }

    [Test]
    public async Task Child_HasOnlyStdioAndMappedDescriptors()
    {
        // A descriptor of ours that is NOT close-on-exec must still not reach the child.
        var leaky = CreateInheritablePipe();
        var (readEnd, writeEnd) = UnixPipe.Create();
        try
        {
            using (readEnd)
            using (writeEnd)
            {
                using var child = Spawner.Spawn(new SpawnRequest("/bin/sleep", ["/bin/sleep", "30"], ChildEnvironment.Build(), [new FdMapping(writeEnd, 3)]));
                // sleep opens (and closes) locale files while it starts; a leaked descriptor
                // would stay for good.
                Assert.That(
                    await ProcessProbe.WaitUntilAsync(() => ProcessProbe.Descriptors(child.Pid).Keys.Order().SequenceEqual(Enumerable.Range(0, 4)), Bound),
                    Is.True,
                    string.Join(", ", ProcessProbe.Descriptors(child.Pid)));
                var fds = ProcessProbe.Descriptors(child.Pid);
                Assert.That(fds[3], Does.StartWith("pipe:"));
                Assert.That(fds[0], Is.EqualTo(new FileInfo("/proc/self/fd/0").LinkTarget));
                Assert.That(fds[2], Is.EqualTo(new FileInfo("/proc/self/fd/2").LinkTarget));
                child.Signal(LibC.SIGKILL);
                await child.Exited.WaitAsync(Bound);
            }
        }
        finally
        {
            Assert.That(LibC.close(leaky.Read) | LibC.close(leaky.Write), Is.Zero);
        }
    }

    [Test]
    public async Task Child_HasEmptySignalMaskAndNoIgnoredSignals()
    {
        using var child = Spawn("/bin/sleep", "30");
        var status = File.ReadAllLines($"/proc/{child.Pid}/status");
        Assert.That(status, Does.Contain("SigBlk:\t0000000000000000"));

        // glibc's posix_spawn leaves only its two internal signals (32, 33) ignored; the
        // program's own glibc takes them over. SIGPIPE (13), which the .NET runtime ignores,
        // must be back to its default.
        const ulong SigPipe = 1UL << (13 - 1);
        Assert.That(IgnoredSignals(File.ReadAllLines("/proc/self/status")) & SigPipe, Is.EqualTo(SigPipe), "the test host ignores SIGPIPE");
        var ignored = IgnoredSignals(status);
        Assert.That(ignored & ~((1UL << 31) | (1UL << 32)), Is.Zero, $"ignored signals 0x{ignored:x}");
        child.Signal(LibC.SIGKILL);
        await child.Exited.WaitAsync(Bound);
    }

    [Test]
    public async Task Reaping_LeavesTheRuntimesChildrenAlone()
    {
        using var theirs = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 0.3; exit 3"]))!;
        using var ours = Spawn("/bin/sh", "-c", "sleep 0.3; exit 4");
        Assert.That(await ours.Exited.WaitAsync(Bound), Is.EqualTo(new ChildExitStatus(4, null)));
        await theirs.WaitForExitAsync().WaitAsync(Bound);
        Assert.That(theirs.ExitCode, Is.EqualTo(3), "System.Diagnostics.Process still reaps its own child");
    }

    [Test]
    public async Task ManyChildren_AreAllReaped()
    {
        var children = Enumerable.Range(0, 40).Select(i => Spawn("/bin/sh", "-c", $"exit {i % 5}")).ToList();
        try
        {
            var statuses = await Task.WhenAll(children.Select(c => c.Exited)).WaitAsync(Bound);
            Assert.That(statuses.Select(s => s.ExitCode), Is.EqualTo(Enumerable.Range(0, 40).Select(i => (int?)(i % 5))));
            Assert.That(children.All(c => ProcessProbe.IsGone(c.Pid)), Is.True);
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }
    }

    [Test]
    public async Task Environment_IsOursPlusExtras()
    {
        var runner = new CommandRunner(Spawner);
        var output = await runner.RunAsync("/bin/sh", ["-c", "echo \"$CTDB_DBDIR_STATE|$PATH\""], Bound, CancellationToken.None, [new("CTDB_DBDIR_STATE", "/var/lib/ctdb/state")]);
        Assert.That(output.Succeeded, Is.True);
        Assert.That(output.StandardOutput, Is.EqualTo($"/var/lib/ctdb/state|{Environment.GetEnvironmentVariable("PATH")}\n"));
    }

    [Test]
    public async Task CommandRunner_CapturesBothStreamsAndStatus()
    {
        var runner = new CommandRunner(Spawner);
        var output = await runner.RunAsync("/bin/sh", ["-c", "echo out; echo err >&2; exit 22"], Bound, CancellationToken.None);
        Assert.That(output, Is.EqualTo(new CommandOutput(new ChildExitStatus(22, null), "out\n", "err\n", TimedOut: false)));
    }

    [Test]
    public async Task CommandRunner_KillsACommandThatHangs()
    {
        var runner = new CommandRunner(Spawner);
        var pidFile = Dir.File("pid");
        var watch = Stopwatch.StartNew();
        var output = await runner.RunAsync("/bin/sh", ["-c", $"echo $$ > {pidFile}; exec sleep 60"], TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.That(output.TimedOut, Is.True);
        Assert.That(output.Status.Signal, Is.EqualTo(LibC.SIGKILL));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(ProcessProbe.IsGone(int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture)), Is.True);
    }

    [Test]
    public async Task Reactor_WaitCanBeCancelledAndRepeated()
    {
        var (readEnd, writeEnd) = UnixPipe.Create();
        using (readEnd)
        using (writeEnd)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            Assert.That(async () => await Reactor.WaitReadableAsync(readEnd, cts.Token), Throws.InstanceOf<OperationCanceledException>());

            var wait = Reactor.WaitReadableAsync(readEnd, CancellationToken.None);
            await Task.Delay(50);
            Assert.That(wait.IsCompleted, Is.False);
            Assert.That(FdWriter.WriteAll(writeEnd.Fd, "x"u8), Is.True);
            await wait.WaitAsync(Bound);
            var buffer = new byte[4];
            Assert.That(UnixPipe.Read(readEnd, buffer), Is.EqualTo(1));
            Assert.That(UnixPipe.Read(readEnd, buffer), Is.EqualTo(-1), "empty non-blocking pipe");
        }
    }

    private static ulong IgnoredSignals(string[] status) =>
        ulong.Parse(status.Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))[7..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private ChildProcess Spawn(string path, params string[] arguments) =>
        Spawner.Spawn(new SpawnRequest(path, [path, .. arguments], ChildEnvironment.Build(), []));

    // A plain pipe() in this process: both ends lack close-on-exec.
    private static unsafe (int Read, int Write) CreateInheritablePipe()
    {
        var fds = stackalloc int[2];
        Assert.That(LibC.pipe(fds), Is.Zero);
        return (fds[0], fds[1]);
    }
}
