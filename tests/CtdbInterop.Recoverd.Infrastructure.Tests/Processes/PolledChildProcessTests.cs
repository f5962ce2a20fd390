using System.Diagnostics;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Processes;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Processes;

/// <summary>
/// Children watched without a pidfd, as on kernels before 5.3 or under a seccomp filter that
/// refuses pidfd_open: the daemon used to kill every helper it started there and could never
/// take the cluster lock. The spawner is told not to use pidfds; the children are real.
/// </summary>
[Description("recoverd-behaviours B06, B59, B88-B91 without pidfds")]
public class PolledChildProcessTests : ReactorFixture
{
    private const string FcntlHelper = "/usr/libexec/ctdb/ctdb_mutex_fcntl_helper";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private ProcessSpawner _spawner = null!;
    private CtdbLog _log = null!;
    private MemoryLogSink _sink = null!;

    [SetUp]
    public void CreateSpawner()
    {
        (_log, _sink) = MemoryLogSink.CreateLog();
        _spawner = new ProcessSpawner(Reactor, _log, pidfds: false);
    }

    [TearDown]
    public void DisposeLog() => _log.Dispose();

    [Test]
    public async Task Exit_code_is_reported_and_the_child_reaped()
    {
        using var child = Spawn("/bin/sh", "-c", "exit 7");

        var status = await child.Exited.WaitAsync(Bound);

        Assert.Multiple(() =>
        {
            Assert.That(_spawner.UsesPidfds, Is.False);
            Assert.That(status, Is.EqualTo(new ChildExitStatus(7, null)));
            Assert.That(ProcessProbe.IsGone(child.Pid), Is.True, "reaped, not a zombie");
        });
    }

    [Test]
    public async Task Signals_reach_the_child_until_it_is_reaped()
    {
        using var child = Spawn("/bin/sleep", "30");

        Assert.That(child.Signal(LibC.SIGKILL), Is.True);
        var status = await child.Exited.WaitAsync(Bound);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(new ChildExitStatus(null, LibC.SIGKILL)));
            Assert.That(child.Signal(LibC.SIGTERM), Is.False, "no signal to a PID that is no longer ours");
        });
    }

    [Test]
    public async Task A_child_that_ignores_SIGTERM_is_killed_and_reaped()
    {
        using var child = Spawn("/bin/sh", "-c", "trap '' TERM; sleep 30");
        await Task.Delay(200);

        var gone = await child.TerminateAsync(LibC.SIGTERM, TimeSpan.FromMilliseconds(300), Bound);

        Assert.Multiple(() =>
        {
            Assert.That(gone, Is.True);
            Assert.That(ProcessProbe.IsGone(child.Pid), Is.True);
        });
    }

    [Test]
    [Description("B91: a held lock whose helper exits is seen lost within a few polls")]
    public async Task The_real_mutex_helper_takes_the_lock_and_its_loss_is_seen()
    {
        var lockFile = Dir.File("reclock");
        var lockString = $"!{FcntlHelper} {lockFile} 1";
        Assert.That(ClusterMutexCommand.TryParseCommand(lockString, out var command, out _), Is.True);
        await using var mutex = ClusterMutexHelper.Start(command!, lockString, _spawner, _log);
        Assert.That(await mutex.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Locked));

        File.Delete(lockFile);
        var watch = Stopwatch.StartNew();
        await mutex.Lost.WaitAsync(Bound);

        Assert.Multiple(() =>
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
            Assert.That(mutex.State, Is.EqualTo(ClusterMutexState.Lost));
            Assert.That(_sink.Messages, Does.Contain((CtdbLogLevel.Error, "Cluster lock helper terminated")));
        });
        await mutex.Exited.WaitAsync(Bound);
        Assert.That(ProcessProbe.IsGone(mutex.Pid), Is.True);
    }

    [Test]
    public async Task Release_stops_the_helper_and_reaps_it()
    {
        var lockFile = Dir.File("reclock");
        await using var mutex = ClusterMutexHelper.Start(ClusterMutexCommand.ForFile(FcntlHelper, lockFile), lockFile, _spawner, _log);
        Assert.That(await mutex.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Locked));
        var pid = mutex.Pid;

        await mutex.ReleaseAsync().WaitAsync(Bound);

        Assert.Multiple(() =>
        {
            Assert.That(ProcessProbe.IsGone(pid), Is.True, "exited and reaped when ReleaseAsync completes");
            Assert.That(mutex.Lost.IsCompleted, Is.False, "our own release is not a lost lock");
        });
    }

    private ChildProcess Spawn(string path, params string[] arguments) =>
        _spawner.Spawn(new SpawnRequest(path, [path, .. arguments], ChildEnvironment.Build(), []));
}
