using System.Diagnostics;
using System.Globalization;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Processes;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Processes;

[Description("recoverd-behaviours B88-B91, §3.2 (\"lock held\" means locked), §7 mistake 7")]
[TestFixture(ChildWatching.Pidfd)]
[TestFixture(ChildWatching.PolledWaitpid)]
public class ClusterMutexHelperTests(ChildWatching watching) : ReactorFixture(watching)
{
    private const string FcntlHelper = "/usr/libexec/ctdb/ctdb_mutex_fcntl_helper";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private CtdbLog _log = null!;
    private MemoryLogSink _sink = null!;

    [SetUp]
    public void CreateLog() => (_log, _sink) = MemoryLogSink.CreateLog();

    [TearDown]
    public void DisposeLog() => _log.Dispose();

    [Test]
    public async Task RealHelper_TakesTheLockAndHoldsIt()
    {
        var lockFile = Dir.File("reclock");
        await using var mutex = Start(ClusterMutexCommand.ForFile(FcntlHelper, lockFile), lockFile);
        Assert.That(await mutex.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Locked));
        Assert.That(mutex.IsHeld, Is.True);
        Assert.That(mutex.State, Is.EqualTo(ClusterMutexState.Held));
        Assert.That(mutex.Latency, Is.Not.Null.And.LessThan(Bound));
        Assert.That(ProcessProbe.IsRunning(mutex.Pid), Is.True);
        Assert.That(_sink.Messages, Does.Contain((CtdbLogLevel.Notice, $"Attempting to take cluster lock ({lockFile})")));
        Assert.That(_sink.Messages, Does.Contain((CtdbLogLevel.Notice, "Cluster lock taken successfully")));
    }

    [Test]
    public async Task RealHelper_HasOurStderrAndAPipeAsStdout()
    {
        var lockFile = Dir.File("reclock");
        await using var mutex = Start(ClusterMutexCommand.ForFile(FcntlHelper, lockFile), lockFile);
        await mutex.Answer.WaitAsync(Bound);
        var fds = ProcessProbe.Descriptors(mutex.Pid);
        Assert.That(fds[1], Does.StartWith("pipe:"));
        Assert.That(fds[2], Is.EqualTo(new FileInfo("/proc/self/fd/2").LinkTarget));
        Assert.That(File.ReadAllText($"/proc/{mutex.Pid}/stat").Split(' ')[3], Is.EqualTo(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)), "a direct child: the helper watches its parent");
    }

    [Test]
    public async Task RealHelper_SecondInstanceSeesContention()
    {
        var lockFile = Dir.File("reclock");
        await using var first = Start(ClusterMutexCommand.ForFile(FcntlHelper, lockFile), lockFile);
        Assert.That(await first.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Locked));

        await using var second = Start(ClusterMutexCommand.ForFile(FcntlHelper, lockFile), lockFile);
        Assert.That(await second.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Contention));
        Assert.That(second.IsHeld, Is.False);
        Assert.That(second.State, Is.EqualTo(ClusterMutexState.Failed));
        Assert.That(_sink.Messages, Does.Contain((CtdbLogLevel.Error, "Unable to take cluster lock - contention")));
        await second.Exited.WaitAsync(Bound);
        Assert.That(first.IsHeld, Is.True, "the holder is unaffected");
    }

    [Test]
    [Description("§3.3: release waits until the helper has exited, so the lock is really free")]
    public async Task RealHelper_ReleaseWaitsForExitThenTheLockIsFree()
    {
        var lockFile = Dir.File("reclock");
        var first = Start(ClusterMutexCommand.ForFile(FcntlHelper, lockFile), lockFile);
        Assert.That(await first.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Locked));
        var pid = first.Pid;

        await first.ReleaseAsync().WaitAsync(Bound);
        Assert.That(first.Exited.IsCompleted, Is.True);
        Assert.That(ProcessProbe.IsGone(pid), Is.True, "exited and reaped when ReleaseAsync completes");
        Assert.That(first.State, Is.EqualTo(ClusterMutexState.Released));
        Assert.That(first.IsHeld, Is.False);
        Assert.That(first.Lost.IsCompleted, Is.False, "our own release is not a lost lock");
        Assert.That(_sink.Messages, Does.Contain((CtdbLogLevel.Notice, "Releasing cluster lock")));

        // Immediately: a new attempt must get the lock, not contention.
        await using var second = Start(ClusterMutexCommand.ForFile(FcntlHelper, lockFile), lockFile);
        Assert.That(await second.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Locked));
        await first.DisposeAsync();
    }

    [Test]
    [Description("B91 / Samba cluster.015.reclock_remove_lock: removing the lock file loses the lock")]
    public async Task RealHelper_CommandFormNoticesRemovedLockFile()
    {
        var lockFile = Dir.File("reclock");
        var lockString = $"!{FcntlHelper} {lockFile} 1";
        Assert.That(ClusterMutexCommand.TryParseCommand(lockString, out var command, out _), Is.True);
        await using var mutex = Start(command!, lockString);
        Assert.That(await mutex.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Locked));

        File.Delete(lockFile);
        var watch = Stopwatch.StartNew();
        await mutex.Lost.WaitAsync(Bound);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(mutex.State, Is.EqualTo(ClusterMutexState.Lost));
        Assert.That(mutex.IsHeld, Is.False);
        Assert.That(_sink.Messages, Does.Contain((CtdbLogLevel.Error, "Cluster lock helper terminated")));
        await mutex.Exited.WaitAsync(Bound);
    }

    [Test]
    public async Task RealHelper_CommandFormNoticesReplacedLockFile()
    {
        var lockFile = Dir.File("reclock");
        var lockString = $"!{FcntlHelper} {lockFile} 1";
        Assert.That(ClusterMutexCommand.TryParseCommand(lockString, out var command, out _), Is.True);
        await using var mutex = Start(command!, lockString);
        Assert.That(await mutex.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Locked));

        var replacement = Dir.File("other");
        await File.WriteAllTextAsync(replacement, string.Empty);
        File.Move(replacement, lockFile, overwrite: true);
        await mutex.Lost.WaitAsync(Bound);
        Assert.That(mutex.State, Is.EqualTo(ClusterMutexState.Lost));
    }

    [TestCase("1", (int)ClusterMutexAnswer.Contention, "Unable to take cluster lock - contention")]
    [TestCase("2", (int)ClusterMutexAnswer.Timeout, "Unable to take cluster lock - timeout")]
    [TestCase("3", (int)ClusterMutexAnswer.Unknown, "Unable to take cluster lock - unknown error")]
    [TestCase("x", (int)ClusterMutexAnswer.Unknown, "Unable to take cluster lock - unknown error")]
    public async Task FirstByte_DecidesTheAttempt(string status, int answer, string logText)
    {
        var pidFile = Dir.File("pid");
        var helper = Dir.Script("helper", $"echo $$ > {pidFile}; printf '{status}'; exec sleep 60");
        await using var mutex = Start(new ClusterMutexCommand(helper, [helper]), "test");
        Assert.That(await mutex.Answer.WaitAsync(Bound), Is.EqualTo((ClusterMutexAnswer)answer));
        Assert.That(mutex.State, Is.EqualTo(ClusterMutexState.Failed));
        Assert.That(_sink.Messages, Does.Contain((CtdbLogLevel.Error, logText)));

        // As ctdb does, the helper gets SIGTERM after anything but '0'.
        Assert.That(await mutex.Exited.WaitAsync(Bound), Is.EqualTo(new ChildExitStatus(null, LibC.SIGTERM)));
    }

    [Test]
    [Description("B88: a helper that crashes before answering is an unknown error")]
    public async Task HelperExitingWithoutAnswer_IsUnknown()
    {
        var helper = Dir.Script("helper", "echo 'helper: cannot open lock' >&2; exit 1");
        await using var mutex = Start(new ClusterMutexCommand(helper, [helper]), "test");
        Assert.That(await mutex.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Unknown));
        Assert.That(await mutex.Exited.WaitAsync(Bound), Is.EqualTo(new ChildExitStatus(1, null)));
        Assert.That(mutex.IsHeld, Is.False);
    }

    [Test]
    public async Task HelperThatCannotBeExecuted_IsAStartFailure()
    {
        Assert.That(() => Start(new ClusterMutexCommand(Dir.File("missing"), [Dir.File("missing")]), "test"), Throws.InstanceOf<Native.UnixException>());
        await Task.CompletedTask;
    }

    [Test]
    [Description("B91: after '0', the helper's exit is a lost lock; further output is ignored")]
    public async Task HelperCrashAfterLocking_IsALostLock()
    {
        var go = Dir.File("go");
        var helper = Dir.Script("helper", $"printf '0'; printf 'more output'; while [ ! -e {go} ]; do sleep 0.05; done; exit 3");
        await using var mutex = Start(new ClusterMutexCommand(helper, [helper]), "test");
        Assert.That(await mutex.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Locked));
        await Task.Delay(200);
        Assert.That(mutex.IsHeld, Is.True, "extra bytes after '0' change nothing");

        await File.WriteAllTextAsync(go, string.Empty);
        await mutex.Lost.WaitAsync(Bound);
        Assert.That(mutex.IsHeld, Is.False);
        Assert.That(await mutex.Exited.WaitAsync(Bound), Is.EqualTo(new ChildExitStatus(3, null)));
    }

    [Test]
    [Description("B88: no answer within the attempt limit counts as '2'")]
    public async Task NoAnswerInTime_IsTimeoutAndTheHelperIsTerminated()
    {
        var helper = Dir.Script("helper", "exec sleep 60");
        await using var mutex = Start(new ClusterMutexCommand(helper, [helper]), "test", TimeSpan.FromMilliseconds(300));
        Assert.That(await mutex.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Timeout));
        Assert.That(_sink.Messages, Does.Contain((CtdbLogLevel.Error, "Unable to take cluster lock - timeout")));
        Assert.That(await mutex.Exited.WaitAsync(Bound), Is.EqualTo(new ChildExitStatus(null, LibC.SIGTERM)));
    }

    [Test]
    [Description("B90: releasing a pending attempt cancels it; it never counted as held")]
    public async Task ReleaseWhilePending_CancelsTheAttempt()
    {
        var helper = Dir.Script("helper", "exec sleep 60");
        var mutex = Start(new ClusterMutexCommand(helper, [helper]), "test");
        Assert.That(mutex.State, Is.EqualTo(ClusterMutexState.Pending));
        Assert.That(mutex.IsHeld, Is.False);
        await mutex.ReleaseAsync().WaitAsync(Bound);
        Assert.That(await mutex.Answer, Is.EqualTo(ClusterMutexAnswer.Cancelled));
        Assert.That(mutex.Exited.IsCompleted, Is.True);
        Assert.That(_sink.Messages, Does.Contain((CtdbLogLevel.Notice, "Cancelling cluster lock")));
        Assert.That(_sink.Texts, Has.None.StartsWith("Unable to take cluster lock"));
        await mutex.DisposeAsync();
    }

    [Test]
    public async Task Release_EscalatesToSigkillForAHelperIgnoringSigterm()
    {
        var helper = Dir.Script("helper", "trap '' TERM; printf '0'; while :; do sleep 0.05; done");
        var mutex = Start(new ClusterMutexCommand(helper, [helper]), "test");
        Assert.That(await mutex.Answer.WaitAsync(Bound), Is.EqualTo(ClusterMutexAnswer.Locked));
        var watch = Stopwatch.StartNew();
        await mutex.ReleaseAsync().WaitAsync(Bound);
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(ClusterMutexHelper.TerminateGrace - TimeSpan.FromMilliseconds(100)));
        Assert.That(await mutex.Exited, Is.EqualTo(new ChildExitStatus(null, LibC.SIGKILL)));
        Assert.That(ProcessProbe.IsGone(mutex.Pid), Is.True);
        await mutex.DisposeAsync();
    }

    [Test]
    public async Task Release_IsIdempotentAndWorksAfterLoss()
    {
        var helper = Dir.Script("helper", "printf '0'; exit 0");
        var mutex = Start(new ClusterMutexCommand(helper, [helper]), "test");
        await mutex.Lost.WaitAsync(Bound);
        await mutex.ReleaseAsync().WaitAsync(Bound);
        await mutex.ReleaseAsync().WaitAsync(Bound);
        Assert.That(mutex.State, Is.EqualTo(ClusterMutexState.Lost));
        Assert.That(_sink.Texts, Has.None.EqualTo("Releasing cluster lock"), "nothing to release after a loss");
        await mutex.DisposeAsync();
    }

    private ClusterMutexHelper Start(ClusterMutexCommand command, string lockString, TimeSpan? attemptLimit = null) =>
        ClusterMutexHelper.Start(command, lockString, Spawner, _log, attemptLimit);
}
