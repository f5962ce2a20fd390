using System.Buffers.Binary;
using System.Net.Sockets;

namespace CtdbInterop.Fuzz;

/// <summary>A listening Unix socket standing in for ctdbd, one per fuzz process.</summary>
internal sealed class FakeCtdbd
{
    private readonly Socket _listener;

    private FakeCtdbd(Socket listener, string path)
    {
        _listener = listener;
        Path = path;
    }

    public string Path { get; }

    public static FakeCtdbd Start()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ctdbinterop-fuzz-{Environment.ProcessId}.socket");
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(16);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return new FakeCtdbd(listener, path);
    }

    public Task<Socket> AcceptAsync(CancellationToken cancellationToken) =>
        _listener.AcceptAsync(cancellationToken).AsTask();

    /// <summary>Reads one whole packet (the client's control request) so that closing does not reset the client.</summary>
    public static async Task ReadOnePacketAsync(Socket peer, CancellationToken cancellationToken)
    {
        var length = new byte[4];
        await ReadExactlyAsync(peer, length, cancellationToken).ConfigureAwait(false);
        var rest = new byte[BinaryPrimitives.ReadUInt32LittleEndian(length) - 4];
        await ReadExactlyAsync(peer, rest, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ReadExactlyAsync(Socket peer, Memory<byte> target, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < target.Length)
        {
            var n = await peer.ReceiveAsync(target[read..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            Invariant.Holds(n > 0, "the client closed before sending its control");
            read += n;
        }
    }
}
