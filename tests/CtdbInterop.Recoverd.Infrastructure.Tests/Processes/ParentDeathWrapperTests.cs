using System.Diagnostics;
using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Processes;

[Description("issue 7: the helpers die with the daemon, even after SIGKILL")]
public class ParentDeathWrapperTests
{
    [Test]
    public void FileForm_RunsTheHelperThroughSetprivWithTheSameArguments()
    {
        var command = ParentDeathWrapper.Wrap(ClusterMutexCommand.ForFile("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper", "/shared/.lock"), _ => true);

        Assert.That(command.Path, Is.EqualTo(ParentDeathWrapper.Setpriv));
        Assert.That(command.Arguments, Is.EqualTo(Support.Expect.Lines("setpriv", "--pdeathsig", "TERM", "--", "/usr/libexec/ctdb/ctdb_mutex_fcntl_helper", "/shared/.lock")));
    }

    [Test]
    public void RecoveryAndTakeoverHelpers_RunThroughSetprivWithTheSameArgv()
    {
        // Fault kill-recoverd-recovery on a mixed cluster: the killed leader's recovery helper ran
        // on beside the next leader's recovery once the lock was free.
        var (path, argv) = ParentDeathWrapper.Wrap("/usr/libexec/ctdb/ctdb_recovery_helper", ["/usr/libexec/ctdb/ctdb_recovery_helper", "3", "/run/ctdb/ctdbd.socket", "42"], _ => true);

        Assert.That(path, Is.EqualTo(ParentDeathWrapper.Setpriv));
        Assert.That(argv, Is.EqualTo(Support.Expect.Lines("setpriv", "--pdeathsig", "TERM", "--", "/usr/libexec/ctdb/ctdb_recovery_helper", "3", "/run/ctdb/ctdbd.socket", "42")));
    }

    [Test]
    public void RelativeCommandOrMissingSetpriv_LeavesTheCommandAlone()
    {
        Assert.That(ClusterMutexCommand.TryParseCommand("!helper arg", out var relative, out _), Is.True);
        var absolute = ClusterMutexCommand.ForFile("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper", "/shared/.lock");

        Assert.That(ParentDeathWrapper.Wrap(relative!, _ => true), Is.SameAs(relative));
        Assert.That(ParentDeathWrapper.Wrap(absolute, _ => false), Is.SameAs(absolute));
    }

    [Test]
    public async Task WrappedChild_DiesWhenItsParentIsKilled()
    {
        // A shell stands in for the daemon: it starts "sleep" the way the daemon starts the
        // helper, prints its PID and waits; SIGKILL the shell, the sleep must follow.
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"{ParentDeathWrapper.Setpriv} --pdeathsig TERM -- /bin/sleep 60 & echo $!; wait");
        using var parent = Process.Start(info)!;
        var childPid = int.Parse((await parent.StandardOutput.ReadLineAsync())!.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        // $! is setpriv's PID; it becomes "sleep" only once setpriv has exec'd.
        var started = Stopwatch.StartNew();
        while (!IsSleepRunning(childPid) && started.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        Assert.That(IsSleepRunning(childPid), Is.True, "the wrapped child runs while its parent lives");

        parent.Kill();
        await parent.WaitForExitAsync();
        var watch = Stopwatch.StartNew();
        while (IsSleepRunning(childPid) && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        Assert.That(IsSleepRunning(childPid), Is.False, "the wrapped child outlived its parent");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
    }

    /// <summary>True while PID is a live (not zombie) sleep process.</summary>
    private static bool IsSleepRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat.Contains("(sleep)", StringComparison.Ordinal) && stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
