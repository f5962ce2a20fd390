using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// A <c>CTDB_REQ_MESSAGE</c> packet (<c>struct ctdb_req_message_old</c>), used in both
/// directions: header (destnode = target PNN, <see cref="CtdbConstants.CurrentNode"/> or a
/// broadcast constant), srvid (u64), datalen, then the payload at offset 44 and padding.
/// Typed payloads are in <see cref="Messages"/>.
/// </summary>
public sealed record MessagePacket(ulong Srvid, ReadOnlyMemory<byte> Data)
{
    /// <summary>Offset of the payload: header plus srvid and datalen.</summary>
    public const int FixedSize = 44;

    /// <summary>Encodes the whole padded packet with srcnode <see cref="CtdbConstants.UnknownPnn"/> and generation 0.</summary>
    public byte[] Encode(uint destNode, uint reqId) => Encode(destNode, reqId, CtdbConstants.UnknownPnn);

    /// <summary>Encodes the whole padded packet with the sender's PNN as srcnode.</summary>
    public byte[] Encode(uint destNode, uint reqId, uint srcNode, uint generation = 0)
    {
        var packet = new byte[PacketFraming.PaddedLength(FixedSize + Data.Length)];
        PacketFraming.WriteHeader(packet, PacketHeader.Create(CtdbOperation.ReqMessage, destNode, srcNode, reqId, generation));
        var w = new WireWriter(packet.AsSpan(PacketHeader.Size));
        w.WriteUInt64(Srvid);
        w.WriteUInt32((uint)Data.Length);
        w.WriteBytes(Data.Span);
        return packet;
    }

    /// <summary>Decodes and validates one whole REQ_MESSAGE packet.</summary>
    public static (PacketHeader Header, MessagePacket Message) Decode(ReadOnlySpan<byte> packet)
    {
        var (header, srvid, data) = DecodeFields(packet);
        return (header, new MessagePacket(srvid, data));
    }

    /// <summary>
    /// <see cref="Decode"/> without the record, for a receiver that keeps only srvid and
    /// payload (the client's message queue: one object less per message).
    /// </summary>
    internal static (PacketHeader Header, ulong Srvid, byte[] Data) DecodeFields(ReadOnlySpan<byte> packet)
    {
        var header = PacketFraming.ReadHeader(packet, CtdbOperation.ReqMessage);
        var r = new WireReader(packet, "message");
        r.Skip(PacketHeader.Size, "header");
        var srvid = r.ReadUInt64("srvid");
        var length = r.CheckCount(r.ReadUInt32("datalen"), 1, "datalen");
        var data = r.ReadBytes(length, "data").ToArray();
        PacketPadding.Check(ref r);
        return (header, srvid, data);
    }

    /// <summary>Equal when srvid and the payload bytes are equal.</summary>
    public bool Equals(MessagePacket? other) =>
        other is not null && Srvid == other.Srvid && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(Srvid, Data.Length);
}
