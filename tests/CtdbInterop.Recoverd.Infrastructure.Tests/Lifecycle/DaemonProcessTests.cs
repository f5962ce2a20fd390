using System.Diagnostics;
using System.Globalization;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Lifecycle;

[Description("recoverd-behaviours §1.1, §1.4, §1.8, B01-B05, B11: the daemon as a process")]
public class DaemonProcessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    [Description("§1.4: no ctdbd to connect to → one clear line and exit 1 (ctdbd restarts the daemon)")]
    public async Task RealDaemon_WithoutCtdbdExitsWithStatus1AfterAClearError()
    {
        using var daemon = DaemonProcess.Start(DaemonProcess.RealDaemon, _dir);
        Assert.That(await daemon.WaitForExitAsync(Bound), Is.EqualTo(1));
        var texts = daemon.LogTexts();
        Assert.That(texts, Does.Contain("Set recovery_helper to \"/usr/libexec/ctdb/ctdb_recovery_helper\""));
        Assert.That(texts, Does.Contain("Set takeover_helper to \"/usr/libexec/ctdb/ctdb_takeover_helper\""));
        Assert.That(texts, Has.Some.StartsWith("Failed to connect to ctdbd at /run/ctdb/ctdbd.socket: "));
        Assert.That(texts, Has.None.Contains("monitor_cluster starting"), "the monitor starts only once connected");
        Assert.That(daemon.StandardError, Is.Empty, "everything went to the configured log");
    }

    [Test]
    [Description("§1.7: file: logs to stderr without a header")]
    public async Task RealDaemon_LogsToStderrWithoutHeader()
    {
        using var daemon = DaemonProcess.Start(DaemonProcess.RealDaemon, _dir, new Dictionary<string, string> { ["CTDB_LOGGING"] = "file:", ["CTDB_DEBUGLEVEL"] = "NOTICE" });
        Assert.That(await daemon.WaitForExitAsync(Bound), Is.EqualTo(1));
        var lines = daemon.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("Set recovery_helper to \"/usr/libexec/ctdb/ctdb_recovery_helper\""));
        Assert.That(lines, Has.Some.StartsWith("Failed to connect to ctdbd at "));
        Assert.That(lines, Has.None.Contains("Configuration:"), "INFO is below NOTICE");
    }

    [Test]
    [Description("§1.4: helper missing → exit 1 with ctdb's texts")]
    public async Task RealDaemon_MissingRecoveryHelperExitsWithStatus1()
    {
        var missing = _dir.File("missing");
        using var daemon = DaemonProcess.Start(DaemonProcess.RealDaemon, _dir, new Dictionary<string, string> { ["CTDB_RECOVERY_HELPER"] = missing, ["CTDB_DEBUGLEVEL"] = "NOTICE" });
        Assert.That(await daemon.WaitForExitAsync(Bound), Is.EqualTo(1));
        Assert.That(daemon.LogTexts(), Is.EqualTo(Expect.Lines(
            $"Unable to set recovery_helper \"{missing}\" - No such file or directory",
            "ctdb exiting with error: Unable to set recovery helper")));
    }

    [Test]
    [Description("B11: ctdbd already gone at start → exit 255")]
    public async Task RealDaemon_ParentAlreadyGoneExitsWith255()
    {
        using var daemon = DaemonProcess.Start(DaemonProcess.RealDaemon, _dir, new Dictionary<string, string> { ["CTDB_RECOVERD_PARENT_PID"] = DeadPid().ToString(CultureInfo.InvariantCulture), ["CTDB_DEBUGLEVEL"] = "NOTICE" });
        Assert.That(await daemon.WaitForExitAsync(Bound), Is.EqualTo(255));
        Assert.That(daemon.LogTexts(), Is.EqualTo(Expect.Lines("CTDB daemon is no longer available. Shutting down recovery daemon")));
    }

    [Test]
    [Description("§1.1: the thread name goes back to ctdb_recoverd")]
    public async Task Daemon_IsNamedCtdbRecoverd()
    {
        using var daemon = DaemonProcess.Start(DaemonProcess.TestDaemon, _dir);
        Assert.That(await daemon.WaitForLogAsync("Test daemon idle", Bound), Is.True, daemon.StandardError);
        Assert.That(File.ReadAllText($"/proc/{daemon.Pid}/comm"), Is.EqualTo("ctdb_recoverd\n"));
        Assert.That(daemon.LogTexts(), Does.Contain($"Watching ctdbd (pid {Environment.ProcessId}), parent-death signal {LibC.SIGTERM}"));
        Assert.That(daemon.LogTexts(), Does.Contain("Configuration: leader timeout = 5, failover disabled = false, state database directory = /var/lib/ctdb/state"));
    }

    [Test]
    [Description("B05: SIGTERM → log, shutdown hook, exit 0")]
    public async Task Sigterm_LogsRunsTheHookAndExitsWith0()
    {
        using var daemon = DaemonProcess.Start(DaemonProcess.TestDaemon, _dir);
        Assert.That(await daemon.WaitForLogAsync("Test daemon idle", Bound), Is.True, daemon.StandardError);
        Assert.That(LibC.kill(daemon.Pid, LibC.SIGTERM), Is.Zero);
        Assert.That(await daemon.WaitForExitAsync(Bound), Is.EqualTo(0));
        var texts = daemon.LogTexts();
        Assert.That(texts.SkipWhile(t => t != "Received SIGTERM, exiting"), Is.EqualTo(Expect.Lines("Received SIGTERM, exiting", "Shutdown hook ran (Terminated)")));
        Assert.That(texts.Count(t => t.StartsWith("Received SIGTERM", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    [Description("B05 + §3.3: on SIGTERM the lock is released and the helper has exited before we do")]
    public async Task Sigterm_ReleasesTheClusterLockBeforeExiting()
    {
        var lockFile = _dir.File("reclock");
        using var daemon = DaemonProcess.Start(DaemonProcess.TestDaemon, _dir, new Dictionary<string, string> { ["TEST_DAEMON_LOCK"] = lockFile });
        Assert.That(await daemon.WaitForLogAsync("Test daemon idle", Bound), Is.True, daemon.StandardError);
        var answer = daemon.LogTexts().Single(t => t.StartsWith("Test daemon lock answer", StringComparison.Ordinal));
        Assert.That(answer, Does.StartWith("Test daemon lock answer Locked"));
        var helperPid = int.Parse(answer[(answer.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        Assert.That(ProcessProbe.IsRunning(helperPid), Is.True);

        Assert.That(LibC.kill(daemon.Pid, LibC.SIGTERM), Is.Zero);
        Assert.That(await daemon.WaitForExitAsync(Bound), Is.EqualTo(0));
        Assert.That(ProcessProbe.IsRunning(helperPid), Is.False, "the mutex helper is gone before the daemon exits");
        Assert.That(daemon.LogTexts().SkipWhile(t => t != "Received SIGTERM, exiting"), Is.EqualTo(Expect.Lines(
            "Received SIGTERM, exiting", "Shutdown hook ran (Terminated)", "Releasing cluster lock")));

        // The lock is free at once.
        var probe = Process.Start(new ProcessStartInfo("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper", [lockFile]) { RedirectStandardOutput = true })!;
        var buffer = new char[1];
        Assert.That(await probe.StandardOutput.ReadAsync(buffer).AsTask().WaitAsync(Bound), Is.EqualTo(1));
        Assert.That(buffer[0], Is.EqualTo('0'));
        probe.Kill();
        await probe.WaitForExitAsync();
        probe.Dispose();
    }

    [Test]
    [Description("B04: SIGHUP reopens the log and reaches the running helper")]
    public async Task Sighup_ReopensLogsAndIsForwardedToTheHelper()
    {
        var marker = _dir.File("hup");
        var ready = _dir.File("trap-set");
        var helper = _dir.Script("takeover", $"""
            trap 'echo hup >> {marker}' HUP
            : > {ready}
            while :; do sleep 0.05; done
            """);
        using var daemon = DaemonProcess.Start(DaemonProcess.TestDaemon, _dir, new Dictionary<string, string> { ["TEST_DAEMON_HELPER"] = helper });
        Assert.That(await daemon.WaitForLogAsync("Started takeover helper", Bound), Is.True, daemon.StandardError);
        // Found in CI: the daemon logs the helper's start at the spawn; a SIGHUP sent before the
        // script has set its trap killed the shell (the default action) and no marker came.
        Assert.That(await ProcessProbe.WaitUntilAsync(() => File.Exists(ready), Bound), Is.True, "the helper set its trap");
        File.Move(daemon.LogPath, daemon.LogPath + ".1");

        Assert.That(LibC.kill(daemon.Pid, LibC.SIGHUP), Is.Zero);
        Assert.That(await ProcessProbe.WaitUntilAsync(() => File.Exists(daemon.LogPath), Bound), Is.True);
        Assert.That(await daemon.WaitForLogAsync("Reopened logs", Bound), Is.True);
        Assert.That(await ProcessProbe.WaitUntilAsync(() => File.Exists(marker), Bound), Is.True, "the helper got SIGHUP");
        Assert.That(ProcessProbe.IsRunning(daemon.Pid), Is.True, "SIGHUP does not stop the daemon");

        Assert.That(LibC.kill(daemon.Pid, LibC.SIGTERM), Is.Zero);
        Assert.That(await daemon.WaitForExitAsync(Bound), Is.EqualTo(0));
    }

    [Test]
    [Description("found in CI: started with SIGHUP and SIGTERM ignored (nohup), .NET registered no handler, so SIGHUP never reopened the logs")]
    public async Task Signals_ignored_by_whoever_started_ctdbd_are_still_handled()
    {
        using var daemon = DaemonProcess.Start($"trap '' HUP TERM; exec {DaemonProcess.TestDaemon}", _dir, fileName: "/bin/sh");
        Assert.That(await daemon.WaitForLogAsync("Test daemon idle", Bound), Is.True, daemon.StandardError);
        File.Move(daemon.LogPath, daemon.LogPath + ".1");

        Assert.That(LibC.kill(daemon.Pid, LibC.SIGHUP), Is.Zero);
        Assert.That(await ProcessProbe.WaitUntilAsync(() => File.Exists(daemon.LogPath), Bound), Is.True, "SIGHUP reopened the log");
        Assert.That(LibC.kill(daemon.Pid, LibC.SIGTERM), Is.Zero);
        Assert.That(await daemon.WaitForExitAsync(Bound), Is.EqualTo(0));
        // (The test daemon runs on CoreCLR, whose own SIGTERM handler is already in place: only
        // SIGHUP is still ignored when the handlers are registered. NativeAOT has none.)
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(daemon.LogPath + ".1"), Does.Contain("SIGHUP was ignored when the daemon started; handling it as ctdb does"));
            Assert.That(daemon.LogTexts(), Does.Contain("Received SIGTERM, exiting"));
        });
    }

    [Test]
    [Description("B11: ctdbd (named by the shim's variable) disappears → exit 255 within seconds")]
    public async Task ParentWatch_ExitsWith255WhenCtdbdDisappears()
    {
        using var ctdbd = Process.Start(new ProcessStartInfo("/bin/sleep", ["60"]))!;
        using var daemon = DaemonProcess.Start(DaemonProcess.TestDaemon, _dir, new Dictionary<string, string> { ["CTDB_RECOVERD_PARENT_PID"] = ctdbd.Id.ToString(CultureInfo.InvariantCulture) });
        Assert.That(await daemon.WaitForLogAsync("Test daemon idle", Bound), Is.True, daemon.StandardError);

        ctdbd.Kill();
        await ctdbd.WaitForExitAsync();
        var watch = Stopwatch.StartNew();
        Assert.That(await daemon.WaitForExitAsync(Bound), Is.EqualTo(255));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(daemon.LogTexts().SkipWhile(t => !t.StartsWith("CTDB daemon", StringComparison.Ordinal)), Is.EqualTo(Expect.Lines(
            "CTDB daemon is no longer available. Shutting down recovery daemon", "Shutdown hook ran (ParentGone)")));
    }

    [Test]
    [Description("§1.1: the parent-death signal, when the real parent process dies")]
    public async Task ParentDeathSignal_StopsTheDaemonAsCtdbdGone()
    {
        var pidFile = _dir.File("daemon.pid");
        var parentPidFile = _dir.File("parent.pid");

        // The shell becomes "ctdbd": it starts the daemon, then turns into a sleep (same PID).
        var script = $"echo $$ > {parentPidFile}; {DaemonProcess.TestDaemon} & echo $! > {pidFile}; exec sleep 60";
        using var parent = DaemonProcess.Start(script, _dir, fileName: "/bin/sh");
        Assert.That(await ProcessProbe.WaitUntilAsync(() => File.Exists(pidFile) && new FileInfo(pidFile).Length > 0, Bound), Is.True);
        var daemonPid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        Assert.That(await ProcessProbe.WaitUntilAsync(() => File.Exists(parent.LogPath) && File.ReadAllText(parent.LogPath).Contains("Test daemon idle", StringComparison.Ordinal), Bound), Is.True);

        Assert.That(LibC.kill(parent.Pid, LibC.SIGKILL), Is.Zero);
        Assert.That(await ProcessProbe.WaitUntilAsync(() => !ProcessProbe.IsRunning(daemonPid), Bound), Is.True);
        var texts = parent.LogTexts();
        Assert.That(texts, Does.Contain("CTDB daemon is no longer available. Shutting down recovery daemon"));
        Assert.That(texts, Does.Contain("Shutdown hook ran (ParentGone)"));
        Assert.That(texts, Has.None.StartsWith("Received SIGTERM"), "the parent-death SIGTERM is reported as ctdbd gone");
    }

    // A PID that certainly does not exist: a child that has been reaped.
    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/true"))!;
        process.WaitForExit();
        return process.Id;
    }
}
