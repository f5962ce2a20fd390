using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// The 32-byte header that starts every ctdb packet (<c>struct ctdb_req_header</c>): eight u32 in
/// host order. <see cref="Pull"/> only reads the fields; <see cref="PacketFraming.ReadHeader"/>
/// also validates them.
/// </summary>
public readonly record struct PacketHeader(
    uint Length,
    uint Magic,
    uint Version,
    uint Generation,
    CtdbOperation Operation,
    uint DestNode,
    uint SrcNode,
    uint ReqId)
{
    public const int Size = 32;

    /// <summary>A header with the right magic and version; Length is filled in by the encoder.</summary>
    public static PacketHeader Create(CtdbOperation operation, uint destNode, uint srcNode, uint reqId, uint generation = 0) =>
        new(0, CtdbConstants.Magic, CtdbConstants.Protocol, generation, operation, destNode, srcNode, reqId);

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32(Length);
        w.WriteUInt32(Magic);
        w.WriteUInt32(Version);
        w.WriteUInt32(Generation);
        w.WriteUInt32((uint)Operation);
        w.WriteUInt32(DestNode);
        w.WriteUInt32(SrcNode);
        w.WriteUInt32(ReqId);
    }

    /// <summary>Reads the eight fields from the first 32 bytes; throws if fewer are given.</summary>
    public static PacketHeader Pull(ReadOnlySpan<byte> source)
    {
        var r = new WireReader(source, "packet header");
        return new PacketHeader(
            r.ReadUInt32("length"),
            r.ReadUInt32("magic"),
            r.ReadUInt32("version"),
            r.ReadUInt32("generation"),
            (CtdbOperation)r.ReadUInt32("operation"),
            r.ReadUInt32("destnode"),
            r.ReadUInt32("srcnode"),
            r.ReadUInt32("reqid"));
    }
}
