using System.Collections.Immutable;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// A node map (<c>struct ctdb_node_map_old</c>): num (u32), then num × 36-byte entries. Reply of
/// GET_NODEMAP and GET_NODES_FILE; ctdbd lists every slot of its nodes file in PNN order,
/// including deleted ones.
/// </summary>
public sealed record NodeMap(ImmutableArray<NodeAndFlags> Nodes) : IWireType<NodeMap>
{
    public int WireLength => 4 + (Nodes.Length * NodeAndFlags.Size);

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32((uint)Nodes.Length);
        foreach (var node in Nodes)
        {
            node.Write(ref w);
        }
    }

    public static NodeMap Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "node map");
        var count = r.CheckCount(r.ReadUInt32("num"), NodeAndFlags.Size, "node count");
        var nodes = ImmutableArray.CreateBuilder<NodeAndFlags>(count);
        for (var i = 0; i < count; i++)
        {
            nodes.Add(NodeAndFlags.Read(ref r));
        }

        consumed = r.Position;
        return new NodeMap(nodes.MoveToImmutable());
    }

    /// <summary>Equal when the entries are equal, in order.</summary>
    public bool Equals(NodeMap? other) => other is not null && Nodes.SequenceEqual(other.Nodes);

    public override int GetHashCode() => Nodes.Length;
}
