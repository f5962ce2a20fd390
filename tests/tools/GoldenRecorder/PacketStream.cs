using System.Buffers.Binary;
using System.Net.Sockets;

namespace CtdbInterop.GoldenRecorder;

/// <summary>Reads and writes whole ctdb packets (length-prefixed, host order) on a socket.</summary>
internal static class PacketStream
{
    // Far above any packet the recorded commands produce; protects against a garbled stream.
    private const int MaxPacket = 16 * 1024 * 1024;
    private const int HeaderSize = 32;

    /// <summary>Returns the next packet, or null at a clean end of stream.</summary>
    public static async Task<byte[]?> ReadAsync(Socket socket, CancellationToken ct)
    {
        var lengthBytes = new byte[4];
        if (!await FillAsync(socket, lengthBytes, ct))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (length is < HeaderSize or > MaxPacket)
        {
            throw new IOException($"implausible packet length {length}");
        }

        var packet = new byte[length];
        lengthBytes.CopyTo(packet, 0);
        if (!await FillAsync(socket, packet.AsMemory(4), ct))
        {
            throw new IOException($"stream ended inside a {length}-byte packet");
        }

        return packet;
    }

    public static async Task WriteAsync(Socket socket, byte[] packet, CancellationToken ct)
    {
        var sent = 0;
        while (sent < packet.Length)
        {
            sent += await socket.SendAsync(packet.AsMemory(sent), SocketFlags.None, ct);
        }
    }

    private static async Task<bool> FillAsync(Socket socket, Memory<byte> buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, ct);
            if (n == 0)
            {
                return read == 0 && buffer.Length == 4 ? false : throw new IOException("stream ended mid-packet");
            }

            read += n;
        }

        return true;
    }
}
