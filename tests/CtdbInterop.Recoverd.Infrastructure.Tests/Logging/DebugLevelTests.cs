using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Logging;

[Description("recoverd-behaviours §1.7: CTDB_DEBUGLEVEL names and numbers")]
public class DebugLevelTests
{
    [TestCase("ERROR", 0)]
    [TestCase("WARNING", 1)]
    [TestCase("NOTICE", 3)]
    [TestCase("INFO", 5)]
    [TestCase("DEBUG", 10)]
    [TestCase("debug", 10)]
    [TestCase("Notice", 3)]
    [TestCase("N", 3)]
    [TestCase("w", 1)]
    [TestCase("inf", 5)]
    [TestCase("E", 0)]
    [TestCase("", 0)]
    [TestCase("0", 0)]
    [TestCase("2", 2)]
    [TestCase("7", 7)]
    [TestCase("10", 10)]
    [TestCase("4abc", 4)]
    public void TryParse_AcceptsNamesPrefixesAndNumbers(string text, int expected)
    {
        Assert.That(DebugLevel.TryParse(text, out var level), Is.True);
        Assert.That((int)level, Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("11")]
    [TestCase("-1")]
    [TestCase("ERRORS")]
    [TestCase("verbose")]
    [TestCase(" NOTICE")]
    public void TryParse_RejectsWhatCtdbRejects(string? text) =>
        Assert.That(DebugLevel.TryParse(text, out _), Is.False);

    [TestCase(0, "ERROR")]
    [TestCase(2, "WARNING")]
    [TestCase(4, "NOTICE")]
    [TestCase(9, "INFO")]
    [TestCase(10, "DEBUG")]
    [TestCase(11, "UNKNOWN")]
    public void ToName_UsesCtdbNames(int level, string name) =>
        Assert.That(DebugLevel.ToName((CtdbLogLevel)level), Is.EqualTo(name));

    [TestCase(0, SyslogPriority.LogErr)]
    [TestCase(1, SyslogPriority.LogWarning)]
    [TestCase(2, SyslogPriority.LogNotice)]
    [TestCase(3, SyslogPriority.LogNotice)]
    [TestCase(5, SyslogPriority.LogNotice)]
    [TestCase(6, SyslogPriority.LogInfo)]
    [TestCase(9, SyslogPriority.LogInfo)]
    [TestCase(10, SyslogPriority.LogDebug)]
    public void SyslogPriority_MapsLikeSamba(int level, int priority) =>
        Assert.That(SyslogPriority.FromLevel((CtdbLogLevel)level), Is.EqualTo(priority));
}
