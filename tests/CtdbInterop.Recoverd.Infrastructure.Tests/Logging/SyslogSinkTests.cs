using System.Net;
using System.Net.Sockets;
using System.Text;
using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Infrastructure.Tests.Support;
using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Logging;

[Description("recoverd-behaviours §1.7: syslog:nonblocking, syslog:udp, syslog:udp-rfc5424")]
public class SyslogSinkTests
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(5);

    [Test]
    public void NonBlocking_SendsRfc3164WithoutHeaderToDevLog()
    {
        using var dir = new TempDirectory();
        using var devLog = BindUnixDatagram(dir.File("log"));
        using (var log = CreateLog("syslog:nonblocking", "DEBUG", new LogSinkOptions(dir.File("log"), 0)))
        {
            log.Error("Unable to take cluster lock - contention");
            log.Warning("w");
            log.Notice("n");
            log.Info("i");
            log.Log((CtdbLogLevel)7, "seven");
            log.Debug("d");
        }

        var pid = Environment.ProcessId;
        Assert.That(ReceiveAll(devLog, 6), Is.EqualTo(Expect.Lines(
            $"<27>ctdb-recoverd[{pid}]: Unable to take cluster lock - contention",
            $"<28>ctdb-recoverd[{pid}]: w",
            $"<29>ctdb-recoverd[{pid}]: n",
            $"<29>ctdb-recoverd[{pid}]: i",
            $"<30>ctdb-recoverd[{pid}]: seven",
            $"<31>ctdb-recoverd[{pid}]: d")));
    }

    [Test]
    public void NonBlocking_CountsDropsAndReportsThemBeforeTheNextMessage()
    {
        using var dir = new TempDirectory();
        using var devLog = BindUnixDatagram(dir.File("log"));
        using var log = CreateLog("syslog:nonblocking", "NOTICE", new LogSinkOptions(dir.File("log"), 0));
        var sink = (SocketSyslogSink)log.Sink;

        // Nobody reads: the receive queue fills up and further messages are dropped.
        var sent = 0;
        while (sink.DroppedCount < 3 && sent < 100_000)
        {
            log.Notice($"message {sent++}");
        }

        Assert.That(sink.DroppedCount, Is.EqualTo(3u));
        var queued = sent - 3;

        var drained = ReceiveAll(devLog, queued);
        Assert.That(drained[^1], Does.EndWith($": message {queued - 1}"));

        log.Notice("after the drops");
        var pid = Environment.ProcessId;
        Assert.That(ReceiveAll(devLog, 2), Is.EqualTo(Expect.Lines(
            $"<29>ctdb-recoverd[{pid}]: [Dropped 3 log messages]\n",
            $"<29>ctdb-recoverd[{pid}]: after the drops")));
        Assert.That(sink.DroppedCount, Is.Zero);
    }

    [Test]
    public void NonBlocking_TruncatesToOneRfc3164Packet()
    {
        using var dir = new TempDirectory();
        using var devLog = BindUnixDatagram(dir.File("log"));
        using (var log = CreateLog("syslog:nonblocking", "NOTICE", new LogSinkOptions(dir.File("log"), 0)))
        {
            log.Notice(new string('x', 5000));
        }

        Assert.That(ReceiveAll(devLog, 1)[0], Has.Length.EqualTo(SocketSyslogSink.MaxDatagram));
    }

    [Test]
    public void Udp_SendsRfc3164ToLoopback()
    {
        using var listener = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)listener.Client.LocalEndPoint!).Port;
        using (var log = CreateLog("syslog:udp", "WARNING", new LogSinkOptions("/nonexistent", port)))
        {
            log.Warning("Cluster lock helper terminated");
        }

        Assert.That(ReceiveAll(listener.Client, 1), Is.EqualTo(Expect.Lines($"<28>ctdb-recoverd[{Environment.ProcessId}]: Cluster lock helper terminated")));
    }

    [Test]
    public void UdpRfc5424_SendsVersionTimeHostAppAndPid()
    {
        using var listener = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)listener.Client.LocalEndPoint!).Port;
        using (var log = CreateLog("syslog:udp-rfc5424", "ERROR", new LogSinkOptions("/nonexistent", port)))
        {
            log.Error("Received SIGTERM, exiting");
        }

        var message = ReceiveAll(listener.Client, 1)[0];
        var host = LogHostName.System()!.Split('.')[0];
        Assert.That(message, Does.Match(
            $@"^<27>1 \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{6}}[+-]\d\d:\d\d {System.Text.RegularExpressions.Regex.Escape(host)} ctdb-recoverd {Environment.ProcessId} - - Received SIGTERM, exiting$"));
    }

    [Test]
    public void Udp_WithoutListenerDoesNotThrow()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        probe.Close();
        using var log = CreateLog("syslog:udp", "NOTICE", new LogSinkOptions("/nonexistent", port));
        Assert.DoesNotThrow(() =>
        {
            for (var i = 0; i < 10; i++)
            {
                log.Notice("nobody listens");
            }
        });
    }

    private static CtdbLog CreateLog(string location, string level, LogSinkOptions options) =>
        CtdbLogFactory.Create(
            CtdbEnvironment.From(new Dictionary<string, string> { ["CTDB_LOGGING"] = location, ["CTDB_DEBUGLEVEL"] = level }),
            options);

    private static Socket BindUnixDatagram(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static string[] ReceiveAll(Socket socket, int count)
    {
        socket.ReceiveTimeout = (int)ReceiveTimeout.TotalMilliseconds;
        var buffer = new byte[8192];
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            var n = socket.Receive(buffer);
            result[i] = Encoding.UTF8.GetString(buffer, 0, n);
        }

        return result;
    }
}
