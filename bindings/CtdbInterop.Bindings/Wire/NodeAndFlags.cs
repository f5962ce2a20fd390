using System.Net;
using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>One node-map entry (<c>struct ctdb_node_and_flags</c>, 36 bytes): pnn, flags, address.</summary>
public sealed record NodeAndFlags(uint Pnn, NodeFlags Flags, IPEndPoint Address) : IWireType<NodeAndFlags>
{
    public const int Size = 8 + SockAddr.Size;

    public int WireLength => Size;

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        Write(ref w);
    }

    public static NodeAndFlags Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "node entry");
        var value = Read(ref r);
        consumed = r.Position;
        return value;
    }

    internal void Write(ref WireWriter w)
    {
        w.WriteUInt32(Pnn);
        w.WriteUInt32((uint)Flags);
        SockAddr.Write(ref w, Address);
    }

    internal static NodeAndFlags Read(ref WireReader r) =>
        new(r.ReadUInt32("pnn"), (NodeFlags)r.ReadUInt32("flags"), SockAddr.Read(ref r));
}
