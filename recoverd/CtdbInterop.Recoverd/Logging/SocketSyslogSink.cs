using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CtdbInterop.Recoverd.Logging;

/// <summary>
/// <c>syslog:nonblocking</c>, <c>syslog:udp</c> and <c>syslog:udp-rfc5424</c>: one datagram
/// per message on a non-blocking socket. A message that would block is dropped and counted;
/// the next successful send is preceded by <c>[Dropped N log messages]</c>, as in ctdb.
/// </summary>
internal sealed class SocketSyslogSink : ILogSink
{
    /// <summary>RFC 3164: a packet is at most 1024 bytes (ctdb keeps one byte for a NUL).</summary>
    public const int MaxDatagram = 1023;

    /// <summary>The syslog UDP port on the loopback address.</summary>
    public const int DefaultUdpPort = 514;

    private readonly Lock _lock = new();
    private readonly Socket _socket;
    private readonly SyslogMessageFormat _format;
    private uint _dropped;

    private SocketSyslogSink(Socket socket, SyslogMessageFormat format)
    {
        _socket = socket;
        _format = format;
    }

    /// <summary>Messages dropped since the last successful send.</summary>
    public uint DroppedCount
    {
        get
        {
            lock (_lock)
            {
                return _dropped;
            }
        }
    }

    /// <summary>RFC 3164 without header to a Unix datagram socket (<c>/dev/log</c>).</summary>
    public static SocketSyslogSink ConnectUnix(string socketPath, string appName)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Blocking = false;
            return new SocketSyslogSink(socket, new SyslogMessageFormat(appName, null));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>UDP to 127.0.0.1:<paramref name="port"/>; RFC 5424 when <paramref name="rfc5424Host"/> is given.</summary>
    public static SocketSyslogSink ConnectUdp(int port, string appName, string? rfc5424Host)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            socket.Blocking = false;
            return new SocketSyslogSink(socket, new SyslogMessageFormat(appName, rfc5424Host));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Write(CtdbLogLevel level, string text)
    {
        lock (_lock)
        {
            if (_dropped > 0)
            {
                var result = Send(level, $"[Dropped {_dropped} log messages]\n");
                if (result == SocketError.WouldBlock)
                {
                    // The message below would be dropped as well; keep the count in order.
                    _dropped++;
                    return;
                }

                if (result != SocketError.Success)
                {
                    return;
                }

                _dropped = 0;
            }

            if (Send(level, text) == SocketError.WouldBlock)
            {
                _dropped++;
            }
        }
    }

    public bool Reopen() => true;

    public void Dispose() => _socket.Dispose();

    private SocketError Send(CtdbLogLevel level, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(_format.Format(level, text));
        var length = Math.Min(bytes.Length, MaxDatagram);
        _socket.Send(bytes, 0, length, SocketFlags.None, out var error);
        return error;
    }
}
