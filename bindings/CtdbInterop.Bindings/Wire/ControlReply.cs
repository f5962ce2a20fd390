using System.Text;
using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// A <c>CTDB_REPLY_CONTROL</c> packet (<c>struct ctdb_reply_control_old</c>): header (reqid = the
/// request's), status (i32), datalen, errorlen, then the payload at offset 44 followed by the
/// error text (not NUL-terminated) and padding. A reply carries no opcode: the typed parsers in
/// <see cref="Controls"/> need the caller to know which request it answers.
/// </summary>
/// <param name="Status">Control-specific; GET_PNN, GET_PID and GET_RECMODE return their result here.</param>
/// <param name="Data">The reply payload.</param>
/// <param name="ErrorMessage">ctdbd's error text when errorlen &gt; 0 (which means failure even with status 0), else null.</param>
public sealed record ControlReply(int Status, ReadOnlyMemory<byte> Data, string? ErrorMessage)
{
    /// <summary>Offset of the payload: header plus status, datalen and errorlen.</summary>
    public const int FixedSize = 44;

    /// <summary>True when ctdbd reported neither a non-zero status nor error text.</summary>
    public bool IsSuccess => Status == 0 && ErrorMessage is null;

    /// <summary>
    /// Encodes the whole padded packet. The header's length and operation are set here; take
    /// destnode, srcnode, generation and reqid from the request being answered.
    /// </summary>
    public byte[] Encode(PacketHeader header)
    {
        // Empty error text is still an error (ctdb sees a non-NULL errmsg): it goes out as one
        // NUL, since errorlen 0 would mean no error at all (found by fuzzing).
        var errorLength = ErrorMessage switch
        {
            null => 0,
            "" => 1,
            _ => Encoding.UTF8.GetByteCount(ErrorMessage),
        };
        var packet = new byte[PacketFraming.PaddedLength(FixedSize + Data.Length + errorLength)];
        PacketFraming.WriteHeader(packet, header with { Operation = CtdbOperation.ReplyControl });
        var w = new WireWriter(packet.AsSpan(PacketHeader.Size));
        w.WriteInt32(Status);
        w.WriteUInt32((uint)Data.Length);
        w.WriteUInt32((uint)errorLength);
        w.WriteBytes(Data.Span);
        if (ErrorMessage is not null)
        {
            Encoding.UTF8.GetBytes(ErrorMessage, w.Next(errorLength));
        }

        return packet;
    }

    /// <summary>
    /// Decodes and validates one whole REPLY_CONTROL packet. datalen and errorlen are checked
    /// against the packet before anything is copied. Error text is cut at a NUL, if any.
    /// </summary>
    public static (PacketHeader Header, ControlReply Reply) Decode(ReadOnlySpan<byte> packet)
    {
        var header = PacketFraming.ReadHeader(packet, CtdbOperation.ReplyControl);
        var r = new WireReader(packet, "control reply");
        r.Skip(PacketHeader.Size, "header");
        var status = r.ReadInt32("status");
        var dataLength = r.ReadUInt32("datalen");
        var errorLength = r.ReadUInt32("errorlen");
        if ((ulong)dataLength + errorLength > (ulong)r.Remaining)
        {
            r.Fail($"datalen {dataLength} + errorlen {errorLength} exceed the {r.Remaining} bytes after offset {r.Position}");
        }

        var data = r.ReadBytes((int)dataLength, "data").ToArray();
        var error = errorLength == 0 ? null : CtdbText.FromBytes(r.ReadBytes((int)errorLength, "error text"));
        PacketPadding.Check(ref r);
        return (header, new ControlReply(status, data, error));
    }

    /// <summary>Equal when status, error text and the payload bytes are equal.</summary>
    public bool Equals(ControlReply? other) =>
        other is not null && Status == other.Status && ErrorMessage == other.ErrorMessage
        && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(Status, ErrorMessage, Data.Length);
}
