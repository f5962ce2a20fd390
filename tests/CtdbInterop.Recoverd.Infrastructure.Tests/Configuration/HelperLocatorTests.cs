using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Hosting;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Configuration;

[Description("recoverd-behaviours §1.6, B61: helper lookup and checks")]
public class HelperLocatorTests
{
    private TempDirectory _dir = null!;
    private CtdbLog _log = null!;
    private MemoryLogSink _sink = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDirectory();
        (_log, _sink) = MemoryLogSink.CreateLog();
    }

    [TearDown]
    public void TearDown()
    {
        _log.Dispose();
        _dir.Dispose();
    }

    [Test]
    public void Default_IsDebiansHelperDirectory()
    {
        var locator = new HelperLocator(new CtdbEnvironment(), _log);
        Assert.That(locator.RecoveryHelper(), Is.EqualTo("/usr/libexec/ctdb/ctdb_recovery_helper"));
        Assert.That(locator.TakeoverHelper(), Is.EqualTo("/usr/libexec/ctdb/ctdb_takeover_helper"));
        Assert.That(locator.ClusterMutexHelper(), Is.EqualTo("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper"));
        Assert.That(_sink.Messages, Is.EqualTo(new[]
        {
            (CtdbLogLevel.Notice, "Set recovery_helper to \"/usr/libexec/ctdb/ctdb_recovery_helper\""),
            (CtdbLogLevel.Notice, "Set takeover_helper to \"/usr/libexec/ctdb/ctdb_takeover_helper\""),
            (CtdbLogLevel.Notice, "Set cluster mutex helper to \"/usr/libexec/ctdb/ctdb_mutex_fcntl_helper\""),
        }));
    }

    [Test]
    public void Paths_AreResolvedOnceAndCached()
    {
        var locator = new HelperLocator(new CtdbEnvironment(), _log);
        locator.RecoveryHelper();
        locator.RecoveryHelper();
        Assert.That(_sink.Texts, Has.Count.EqualTo(1));
    }

    [Test]
    public void EnvironmentVariables_WinOverTheDirectory()
    {
        var recovery = _dir.Script("rec", "exit 0");
        var takeover = _dir.Script("take", "exit 0");
        var mutex = _dir.Script("mutex", "exit 0");
        var locator = new HelperLocator(new CtdbEnvironment
        {
            TestMode = true,
            TestHelperBinDir = "/nonexistent",
            RecoveryHelper = recovery,
            TakeoverHelper = takeover,
            ClusterMutexHelper = mutex,
        }, _log);
        Assert.That(locator.RecoveryHelper(), Is.EqualTo(recovery));
        Assert.That(locator.TakeoverHelper(), Is.EqualTo(takeover));
        Assert.That(locator.ClusterMutexHelper(), Is.EqualTo(mutex));
    }

    [Test]
    public void TestMode_UsesCtdbTestHelperBinDir()
    {
        _dir.Script("ctdb_recovery_helper", "exit 0");
        var environment = new CtdbEnvironment { TestMode = true, TestHelperBinDir = _dir.Path };
        Assert.That(new HelperLocator(environment, _log).RecoveryHelper(), Is.EqualTo(_dir.File("ctdb_recovery_helper")));
        Assert.That(new CtdbEnvironment { TestHelperBinDir = _dir.Path }.HelperDirectory, Is.EqualTo("/usr/libexec/ctdb"), "only in test mode");
    }

    [Test]
    public void MissingHelper_IsFatalWithCtdbsTexts()
    {
        var missing = _dir.File("missing");
        var locator = new HelperLocator(new CtdbEnvironment { RecoveryHelper = missing }, _log);
        var error = Assert.Throws<FatalDaemonException>(() => locator.RecoveryHelper());
        Assert.That(error!.ExitCode, Is.EqualTo(1));
        Assert.That(error.AlreadyLogged, Is.True);
        Assert.That(_sink.Messages, Is.EqualTo(new[]
        {
            (CtdbLogLevel.Error, $"Unable to set recovery_helper \"{missing}\" - No such file or directory"),
            (CtdbLogLevel.Error, "ctdb exiting with error: Unable to set recovery helper"),
        }));
    }

    [Test]
    public void NotExecutableHelper_IsFatalWithCtdbsTexts()
    {
        var plain = _dir.File("plain");
        File.WriteAllText(plain, "data");
        File.SetUnixFileMode(plain, UnixFileMode.UserRead | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var locator = new HelperLocator(new CtdbEnvironment { TakeoverHelper = plain, ClusterMutexHelper = plain }, _log);
        Assert.Throws<FatalDaemonException>(() => locator.TakeoverHelper());
        Assert.Throws<FatalDaemonException>(() => locator.ClusterMutexHelper());
        Assert.That(_sink.Texts, Is.EqualTo(Expect.Lines(
            $"Unable to set takeover_helper \"{plain}\" - not executable",
            "ctdb exiting with error: Unable to set takeover helper",
            $"Unable to set cluster_mutex helper \"{plain}\" - not executable")));
    }

    [Test]
    public void MissingMutexHelper_IsFatal()
    {
        var missing = _dir.File("missing");
        var locator = new HelperLocator(new CtdbEnvironment { ClusterMutexHelper = missing }, _log);
        Assert.That(() => locator.ClusterMutexHelper(), Throws.TypeOf<FatalDaemonException>().With.Property(nameof(FatalDaemonException.ExitCode)).EqualTo(1));
        Assert.That(_sink.Texts, Is.EqualTo(Expect.Lines($"Unable to set cluster mutex helper \"{missing}\" - No such file or directory")));
    }
}
