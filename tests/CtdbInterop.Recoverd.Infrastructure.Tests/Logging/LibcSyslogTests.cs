using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Logging;

[Description("recoverd-behaviours §1.7: syslog = syslog(3) with ident ctdb-recoverd, LOG_PID, LOG_DAEMON")]
public class LibcSyslogTests
{
    [Test]
    public async Task Syslog_GoesThroughTheCLibraryToDevLog()
    {
        using var dir = new TempDirectory();
        var socketPath = dir.File("devlog");
        using var devLog = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        devLog.Bind(new UnixDomainSocketEndPoint(socketPath));
        var oldDev = Directory.CreateDirectory(dir.File("olddev")).FullName;

        // In a private mount namespace, /dev is a tmpfs with the usual nodes bound back in and
        // our socket bound over /dev/log, where the C library's syslog() sends.
        var script = $"""
            set -e
            mount --bind /dev {oldDev}
            mount -t tmpfs tmpfs /dev
            for n in null zero random urandom full tty; do touch /dev/$n; mount --bind {oldDev}/$n /dev/$n; done
            ln -s /proc/self/fd /dev/fd
            touch /dev/log
            mount --bind {socketPath} /dev/log
            exec {DaemonProcess.RealDaemon}
            """;
        var info = new ProcessStartInfo("unshare", ["-m", "--propagation", "private", "/bin/sh", "-c", script]) { RedirectStandardError = true };
        info.Environment["CTDB_LOGGING"] = "syslog";
        info.Environment["CTDB_DEBUGLEVEL"] = "NOTICE";
        using var daemon = Process.Start(info)!;
        var stderr = daemon.StandardError.ReadToEndAsync();
        await daemon.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(daemon.ExitCode, Is.EqualTo(1), await stderr);

        devLog.ReceiveTimeout = 5000;
        var buffer = new byte[2048];
        var messages = new List<string>();
        while (devLog.Available > 0 || messages.Count == 0)
        {
            var n = devLog.Receive(buffer);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, n));
        }

        var pid = daemon.Id;
        Assert.That(messages, Has.Count.EqualTo(4));
        Assert.That(messages[0], Does.Match($@"^<29>\w{{3}} [ \d]\d \d\d:\d\d:\d\d ctdb-recoverd\[{pid}\]: Set recovery_helper to ""/usr/libexec/ctdb/ctdb_recovery_helper""$"));
        Assert.That(messages[2], Does.StartWith("<27>").And.Contain($" ctdb-recoverd[{pid}]: Failed to connect to ctdbd at /run/ctdb/ctdbd.socket"));
        Assert.That(messages[3], Does.StartWith("<27>").And.Contain("cannot connect to /run/ctdb/ctdbd.socket"));
    }
}
