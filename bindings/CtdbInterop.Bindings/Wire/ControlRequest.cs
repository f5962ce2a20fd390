using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// A <c>CTDB_REQ_CONTROL</c> packet (<c>struct ctdb_req_control_old</c>): header, opcode, 4 pad
/// bytes, srvid (u64), client id, flags, datalen, then the payload at offset 60 and zero padding.
/// </summary>
/// <param name="Opcode">The control.</param>
/// <param name="DestNode">A PNN or <see cref="CtdbConstants.CurrentNode"/>.</param>
/// <param name="Srvid">Used by REGISTER_SRVID/DEREGISTER_SRVID; otherwise 0.</param>
/// <param name="ClientId">0 from clients (ctdbd fills in its own).</param>
/// <param name="Flags"><see cref="CtdbControlFlags"/>: NOREPLY and opcode-specific bits in 0xFFFF0000.</param>
/// <param name="Data">The request payload.</param>
public sealed record ControlRequest(CtdbControl Opcode, uint DestNode, ulong Srvid, uint ClientId, uint Flags, ReadOnlyMemory<byte> Data)
{
    /// <summary>Offset of the payload: header plus the control's fixed fields.</summary>
    public const int FixedSize = 60;

    /// <summary>
    /// Encodes the whole padded packet as the ctdb client library does before it knows its PNN:
    /// generation 0 and srcnode <see cref="CtdbConstants.UnknownPnn"/> (ctdbd ignores both for
    /// packets from clients).
    /// </summary>
    public byte[] Encode(uint reqId) => Encode(reqId, CtdbConstants.UnknownPnn);

    /// <summary>
    /// Encodes the whole padded packet with the given srcnode (the ctdb tool puts its own PNN
    /// there once GET_PNN has answered) and generation.
    /// </summary>
    public byte[] Encode(uint reqId, uint srcNode, uint generation = 0)
    {
        var packet = new byte[EncodedLength];
        EncodeInto(packet, reqId, srcNode, generation);
        return packet;
    }

    /// <summary>The length of the padded packet; throws when the payload is too large for one.</summary>
    public int EncodedLength => PacketFraming.PaddedLength(FixedSize + Data.Length);

    /// <summary>
    /// Encodes the padded packet into <paramref name="packet"/>, exactly <see cref="EncodedLength"/>
    /// bytes (several controls then go out in one write).
    /// </summary>
    public void EncodeInto(Span<byte> packet, uint reqId, uint srcNode = CtdbConstants.UnknownPnn, uint generation = 0)
    {
        if (packet.Length != EncodedLength)
        {
            throw new ArgumentException($"a {Opcode} request takes {EncodedLength} bytes, not {packet.Length}", nameof(packet));
        }

        PacketFraming.WriteHeader(packet, PacketHeader.Create(CtdbOperation.ReqControl, DestNode, srcNode, reqId, generation));
        var w = new WireWriter(packet[PacketHeader.Size..]);
        w.WriteUInt32((uint)Opcode);
        w.WriteZeros(4);
        w.WriteUInt64(Srvid);
        w.WriteUInt32(ClientId);
        w.WriteUInt32(Flags);
        w.WriteUInt32((uint)Data.Length);
        w.WriteBytes(Data.Span);
        packet[(FixedSize + Data.Length)..].Clear();
    }

    /// <summary>Decodes and validates one whole REQ_CONTROL packet (as ctdbd would receive it).</summary>
    public static (PacketHeader Header, ControlRequest Request) Decode(ReadOnlySpan<byte> packet)
    {
        var header = PacketFraming.ReadHeader(packet, CtdbOperation.ReqControl);
        var r = new WireReader(packet, "control request");
        r.Skip(PacketHeader.Size, "header");
        var opcode = (CtdbControl)r.ReadUInt32("opcode");
        r.Skip(4);
        var srvid = r.ReadUInt64("srvid");
        var clientId = r.ReadUInt32("client_id");
        var flags = r.ReadUInt32("flags");
        var length = r.CheckCount(r.ReadUInt32("datalen"), 1, "datalen");
        var data = r.ReadBytes(length, "data").ToArray();
        PacketPadding.Check(ref r);
        return (header, new ControlRequest(opcode, header.DestNode, srvid, clientId, flags, data));
    }

    /// <summary>Equal when every field and the payload bytes are equal.</summary>
    public bool Equals(ControlRequest? other) =>
        other is not null && Opcode == other.Opcode && DestNode == other.DestNode && Srvid == other.Srvid
        && ClientId == other.ClientId && Flags == other.Flags && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(Opcode, DestNode, Srvid, ClientId, Flags, Data.Length);
}
