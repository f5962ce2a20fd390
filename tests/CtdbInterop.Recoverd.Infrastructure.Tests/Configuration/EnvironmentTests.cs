using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Processes;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Configuration;

[Description("recoverd-behaviours §1.3, §1.5: environment, socket path, ctdbd PID")]
public class EnvironmentTests : ReactorFixture
{
    [Test]
    public void Environment_ReadsCtdbVariables()
    {
        var environment = CtdbEnvironment.From(new Dictionary<string, string>
        {
            ["CTDB_TEST_MODE"] = string.Empty,
            ["CTDB_BASE"] = "/tmp/c/node.1",
            ["CTDB_SOCKET"] = "/tmp/c/node.1/s",
            ["CTDB_LOGGING"] = "file:",
            ["CTDB_DEBUGLEVEL"] = "INFO",
            ["CTDB_RECOVERY_HELPER"] = "/r",
            ["CTDB_TAKEOVER_HELPER"] = "/t",
            ["CTDB_CLUSTER_MUTEX_HELPER"] = "/m",
            ["CTDB_TEST_HELPER_BINDIR"] = "/bin",
            ["CTDB_RECOVERD_PARENT_PID"] = "4242",
        });
        Assert.That(environment, Is.EqualTo(new CtdbEnvironment
        {
            TestMode = true,
            CtdbBase = "/tmp/c/node.1",
            Socket = "/tmp/c/node.1/s",
            Logging = "file:",
            DebugLevel = "INFO",
            RecoveryHelper = "/r",
            TakeoverHelper = "/t",
            ClusterMutexHelper = "/m",
            TestHelperBinDir = "/bin",
            RecoverdParentPid = 4242,
        }));
        Assert.That(environment.HelperDirectory, Is.EqualTo("/bin"));
    }

    [TestCase("")]
    [TestCase("x")]
    [TestCase("1")]
    [TestCase("-5")]
    public void ParentPid_IgnoresUnusableValues(string value) =>
        Assert.That(CtdbEnvironment.From(new Dictionary<string, string> { ["CTDB_RECOVERD_PARENT_PID"] = value }).RecoverdParentPid, Is.Null);

    [Test]
    public void TestModeSocket_IsCtdbSocketThenCtdbBase()
    {
        Assert.That(SocketPath.ForTestMode(new CtdbEnvironment { TestMode = true, Socket = "/a/s", CtdbBase = "/b" }), Is.EqualTo("/a/s"));
        Assert.That(SocketPath.ForTestMode(new CtdbEnvironment { TestMode = true, CtdbBase = "/b/node.0" }), Is.EqualTo("/b/node.0/run/ctdbd.socket"));
        Assert.That(SocketPath.ForTestMode(new CtdbEnvironment { Socket = "/a/s", CtdbBase = "/b" }), Is.Null, "CTDB_SOCKET is ignored outside test mode");
    }

    [Test]
    public async Task Socket_OutsideTestModeComesFromCtdbPath()
    {
        var (log, sink) = MemoryLogSink.CreateLog();
        using (log)
        {
            var path = await SocketPath.ResolveAsync(new CtdbEnvironment { Socket = "/ignored" }, new CommandRunner(Spawner), log, CancellationToken.None);
            Assert.That(path, Is.EqualTo("/run/ctdb/ctdbd.socket"));
            Assert.That(sink.Messages, Is.Empty);
        }
    }

    [Test]
    public async Task Socket_FallsBackWhenCtdbPathFails()
    {
        Dir.Script("ctdb-path", "echo 'not a path'; exit 0");
        var (log, sink) = MemoryLogSink.CreateLog();
        using (log)
        {
            // Test mode without CTDB_SOCKET/CTDB_BASE: the tool from CTDB_TEST_HELPER_BINDIR is asked.
            var path = await SocketPath.ResolveAsync(new CtdbEnvironment { TestMode = true, TestHelperBinDir = Dir.Path }, new CommandRunner(Spawner), log, CancellationToken.None);
            Assert.That(path, Is.EqualTo(SocketPath.Default));
            Assert.That(sink.Texts, Has.Some.StartsWith($"\"{Dir.File("ctdb-path")} socket ctdbd\" gave no usable path"));
        }
    }

    [Test]
    public void Parent_IsOurParentByDefault()
    {
        var parent = ParentProcess.Detect(new CtdbEnvironment());
        Assert.That(parent.Pid, Is.EqualTo((int)LibC.getppid()));
        Assert.That(parent.IsAlive(), Is.True);
    }

    [Test]
    public async Task Parent_FromTheShimVariableIsWatchedByPid()
    {
        using var standIn = Spawner.Spawn(new SpawnRequest("/bin/sleep", ["/bin/sleep", "60"], ChildEnvironment.Build(), []));
        var parent = ParentProcess.Detect(new CtdbEnvironment { RecoverdParentPid = standIn.Pid });
        Assert.That(parent.Pid, Is.EqualTo(standIn.Pid));
        Assert.That(parent.IsAlive(), Is.True);
        standIn.Signal(LibC.SIGKILL);
        await standIn.Exited.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(parent.IsAlive(), Is.False);
    }
}
