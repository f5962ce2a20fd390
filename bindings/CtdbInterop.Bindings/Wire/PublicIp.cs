using System.Net;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// <c>struct ctdb_public_ip</c>, 32 bytes: pnn (the hosting node, or
/// <c>CtdbConstants.UnknownPnn</c>), then the address.
/// </summary>
public sealed record PublicIp(uint Pnn, IPEndPoint Address) : IWireType<PublicIp>
{
    public const int Size = 4 + SockAddr.Size;

    public int WireLength => Size;

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        Write(ref w);
    }

    public static PublicIp Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "public ip");
        var value = Read(ref r);
        consumed = r.Position;
        return value;
    }

    internal void Write(ref WireWriter w)
    {
        w.WriteUInt32(Pnn);
        SockAddr.Write(ref w, Address);
    }

    internal static PublicIp Read(ref WireReader r) => new(r.ReadUInt32("pnn"), SockAddr.Read(ref r));
}
