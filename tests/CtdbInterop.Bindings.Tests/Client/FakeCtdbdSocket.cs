using System.Net.Sockets;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Client;

/// <summary>The server side of a client's connection, read packet by packet as ctdbd reads it.</summary>
internal static class FakeCtdbdSocket
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static async Task<(PacketHeader Header, ControlRequest Request)> ReceivePacketAsync(Socket connection)
    {
        var prefix = new byte[4];
        await ReceiveExactlyAsync(connection, prefix);
        var packet = new byte[PacketFraming.ReadLength(prefix)];
        prefix.CopyTo(packet, 0);
        await ReceiveExactlyAsync(connection, packet.AsMemory(4));
        return ControlRequest.Decode(packet);
    }

    public static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> target)
    {
        while (target.Length > 0)
        {
            var n = await socket.ReceiveAsync(target).AsTask().WaitAsync(Limit);
            if (n == 0)
            {
                throw new IOException("client closed the connection");
            }

            target = target[n..];
        }
    }
}

/// <summary>A listening Unix socket in a directory of its own, where a fake ctdbd accepts a client.</summary>
internal sealed class FakeCtdbdListener : IDisposable
{
    private readonly DirectoryInfo _directory;

    public FakeCtdbdListener(string prefix)
    {
        _directory = Directory.CreateTempSubdirectory(prefix);
        Path = System.IO.Path.Combine(_directory.FullName, "ctdbd.socket");
        Socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        Socket.Bind(new UnixDomainSocketEndPoint(Path));
        Socket.Listen(1);
    }

    public string Path { get; }

    public Socket Socket { get; }

    public Task<Socket> AcceptAsync() => Socket.AcceptAsync();

    public void Dispose()
    {
        Socket.Dispose();
        _directory.Delete(recursive: true);
    }
}
