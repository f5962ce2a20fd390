using System.Net.Sockets;

namespace CtdbInterop.GoldenRecorder;

internal static class Sockets
{
    public static async Task<Socket> ConnectAsync(string path, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
