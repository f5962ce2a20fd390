using System.Buffers.Binary;
using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// Cutting the ctdbd socket's byte stream into packets. Each packet starts with its total length
/// (u32, host order), which includes the header and the zero padding to a multiple of 8.
/// </summary>
public static class PacketFraming
{
    /// <summary>
    /// The largest packet accepted: 64 MiB. The recovery daemon's biggest replies are node maps,
    /// public IP lists and memory reports (kilobytes); ctdbd's own client queue hands out packets
    /// of any size, so the bound only guards against a corrupt stream making us allocate
    /// gigabytes. Database contents, which can be large, travel through the helpers, not here.
    /// </summary>
    public const int MaxPacketLength = 64 * 1024 * 1024;

    /// <summary>Alignment of every packet's total length (<c>CTDB_DS_ALIGNMENT</c>).</summary>
    public const int Alignment = CtdbConstants.DsAlignment;

    /// <summary>Rounds a packet length up to the next multiple of 8.</summary>
    public static int PaddedLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxPacketLength);
        return (length + Alignment - 1) & ~(Alignment - 1);
    }

    /// <summary>
    /// Reads the length field from a packet's first 4 bytes and validates it (at least a header,
    /// at most <see cref="MaxPacketLength"/>): the number of bytes the whole packet occupies.
    /// </summary>
    public static int ReadLength(ReadOnlySpan<byte> first4Bytes)
    {
        if (first4Bytes.Length < 4)
        {
            throw new CtdbProtocolException($"packet length: need 4 bytes, got {first4Bytes.Length}");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(first4Bytes);
        if (length < PacketHeader.Size)
        {
            throw new CtdbProtocolException($"packet length {length} is shorter than the {PacketHeader.Size}-byte header");
        }

        if (length > MaxPacketLength)
        {
            throw new CtdbProtocolException($"packet length {length} exceeds the limit of {MaxPacketLength} bytes");
        }

        return (int)length;
    }

    /// <summary>
    /// Reads and validates the header of one whole packet: magic, protocol version, a known
    /// operation, and a length field equal to the packet's size.
    /// </summary>
    public static PacketHeader ReadHeader(ReadOnlySpan<byte> packet)
    {
        var length = ReadLength(packet);
        var header = PacketHeader.Pull(packet);
        if (length != packet.Length)
        {
            throw new CtdbProtocolException($"packet length field says {length} bytes, but the packet has {packet.Length}");
        }

        if (header.Magic != CtdbConstants.Magic)
        {
            throw new CtdbProtocolException($"bad packet magic 0x{header.Magic:X8}, expected 0x{CtdbConstants.Magic:X8}");
        }

        if (header.Version != CtdbConstants.Protocol)
        {
            throw new CtdbProtocolException($"unsupported protocol version {header.Version}, expected {CtdbConstants.Protocol}");
        }

        if (!IsKnown(header.Operation))
        {
            throw new CtdbProtocolException($"unknown packet operation {(uint)header.Operation}");
        }

        return header;
    }

    /// <summary>Validates a whole packet's header and that it carries the expected operation.</summary>
    internal static PacketHeader ReadHeader(ReadOnlySpan<byte> packet, CtdbOperation expected)
    {
        var header = ReadHeader(packet);
        if (header.Operation != expected)
        {
            throw new CtdbProtocolException($"expected a {expected} packet, got {header.Operation}");
        }

        return header;
    }

    /// <summary>Copies a header with the given length into the start of a packet buffer.</summary>
    internal static void WriteHeader(Span<byte> packet, PacketHeader header) =>
        (header with { Length = (uint)packet.Length }).Push(packet);

    private static bool IsKnown(CtdbOperation operation) =>
        operation is CtdbOperation.ReqCall or CtdbOperation.ReplyCall or CtdbOperation.ReqDmaster
            or CtdbOperation.ReplyDmaster or CtdbOperation.ReplyError or CtdbOperation.ReqMessage
            or CtdbOperation.ReqControl or CtdbOperation.ReplyControl or CtdbOperation.ReqKeepalive
            or CtdbOperation.ReqTunnel;
}
