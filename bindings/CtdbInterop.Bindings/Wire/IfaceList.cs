using System.Collections.Immutable;

namespace CtdbInterop.Bindings.Wire;

/// <summary>The interface list (<c>struct ctdb_iface_list_old</c>): num (u32), then num × 24-byte entries. Reply of GET_IFACES.</summary>
public sealed record IfaceList(ImmutableArray<Iface> Ifaces) : IWireType<IfaceList>
{
    public int WireLength => 4 + (Ifaces.Length * Iface.Size);

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32((uint)Ifaces.Length);
        foreach (var iface in Ifaces)
        {
            iface.Write(ref w);
        }
    }

    public static IfaceList Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "interface list");
        var count = r.CheckCount(r.ReadUInt32("num"), Iface.Size, "interface count");
        var ifaces = ImmutableArray.CreateBuilder<Iface>(count);
        for (var i = 0; i < count; i++)
        {
            ifaces.Add(Iface.Read(ref r));
        }

        consumed = r.Position;
        return new IfaceList(ifaces.MoveToImmutable());
    }

    /// <summary>Equal when the entries are equal, in order.</summary>
    public bool Equals(IfaceList? other) => other is not null && Ifaces.SequenceEqual(other.Ifaces);

    public override int GetHashCode() => Ifaces.Length;
}
