using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Logging;

[Description("recoverd-behaviours §1.7: CTDB_LOGGING locations")]
public class LogLocationTests
{
    [TestCase("file:", (int)LogTarget.Stderr, null)]
    [TestCase("file:-", (int)LogTarget.Stderr, null)]
    [TestCase("file", (int)LogTarget.Stderr, null)]
    [TestCase("file:/var/log/log.ctdb", (int)LogTarget.File, "/var/log/log.ctdb")]
    [TestCase("file::/tmp/x:extra", (int)LogTarget.File, "/tmp/x")]
    [TestCase("syslog", (int)LogTarget.Syslog, null)]
    [TestCase("syslog:nonblocking", (int)LogTarget.SyslogNonBlocking, null)]
    [TestCase("syslog:udp", (int)LogTarget.SyslogUdp, null)]
    [TestCase("syslog:udp-rfc5424", (int)LogTarget.SyslogUdpRfc5424, null)]
    public void TryParse_ReadsCtdbLocations(string text, int target, string? path)
    {
        Assert.That(LogLocation.TryParse(text, out var location, out var error), Is.True, error);
        Assert.That(location.Target, Is.EqualTo((LogTarget)target));
        Assert.That(location.FilePath, Is.EqualTo(path));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(":")]
    [TestCase("stderr")]
    [TestCase("syslog:tcp")]
    [TestCase("files:/tmp/x")]
    public void TryParse_RejectsUnknownLocations(string? text)
    {
        Assert.That(LogLocation.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Is.Not.Empty);
    }
}
