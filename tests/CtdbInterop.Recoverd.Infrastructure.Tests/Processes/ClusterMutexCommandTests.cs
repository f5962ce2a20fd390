using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Processes;

[Description("recoverd-behaviours §1.6: cluster mutex helper command lines")]
public class ClusterMutexCommandTests
{
    [Test]
    public void FileForm_IsHelperAndWholeLockString()
    {
        var command = ClusterMutexCommand.ForFile("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper", "/clusterfs/.ctdb/reclock with space");
        Assert.That(command.Path, Is.EqualTo("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper"));
        Assert.That(command.Arguments, Is.EqualTo(Support.Expect.Lines("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper", "/clusterfs/.ctdb/reclock with space")));
    }

    [Test]
    public void CommandForm_SplitsOnSpacesAndTabsCollapsingRuns()
    {
        Assert.That(ClusterMutexCommand.IsCommandForm("!/usr/bin/x"), Is.True);
        Assert.That(ClusterMutexCommand.TryParseCommand("! /usr/libexec/ctdb/ctdb_mutex_fcntl_helper \t /cfs/lock   5\t", out var command, out var error), Is.True, error);
        Assert.That(command!.Path, Is.EqualTo("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper"));
        Assert.That(command.Arguments, Is.EqualTo(Support.Expect.Lines("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper", "/cfs/lock", "5")));
    }

    [Test]
    public void CommandForm_HasNoQuoting()
    {
        Assert.That(ClusterMutexCommand.TryParseCommand("!/bin/helper \"a b\"", out var command, out _), Is.True);
        Assert.That(command!.Arguments, Is.EqualTo(Support.Expect.Lines("/bin/helper", "\"a", "b\"")));
    }

    [TestCase("!")]
    [TestCase("! \t ")]
    public void CommandForm_EmptyIsAnError(string lockString)
    {
        Assert.That(ClusterMutexCommand.TryParseCommand(lockString, out var command, out var error), Is.False);
        Assert.That(command, Is.Null);
        Assert.That(error, Does.StartWith("Mutex helper command is empty \""));
    }
}
