using System.Collections.Immutable;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// The vnn map (<c>struct ctdb_vnn_map_wire</c>): generation, size (u32), then size × u32 PNN.
/// Reply of GETVNNMAP; the reply is exactly 8 + 4 × size bytes.
/// </summary>
public sealed record VnnMap(uint Generation, ImmutableArray<uint> Map) : IWireType<VnnMap>
{
    public int WireLength => 8 + (Map.Length * 4);

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32(Generation);
        w.WriteUInt32((uint)Map.Length);
        foreach (var pnn in Map)
        {
            w.WriteUInt32(pnn);
        }
    }

    public static VnnMap Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "vnn map");
        var generation = r.ReadUInt32("generation");
        var count = r.CheckCount(r.ReadUInt32("size"), 4, "vnn map size");
        var map = ImmutableArray.CreateBuilder<uint>(count);
        for (var i = 0; i < count; i++)
        {
            map.Add(r.ReadUInt32("map entry"));
        }

        consumed = r.Position;
        return new VnnMap(generation, map.MoveToImmutable());
    }

    /// <summary>Equal when generation and map are equal.</summary>
    public bool Equals(VnnMap? other) => other is not null && Generation == other.Generation && Map.SequenceEqual(other.Map);

    public override int GetHashCode() => HashCode.Combine(Generation, Map.Length);
}
