using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>
/// A node map (GET_NODEMAP) in ctdbd's order: every slot of the nodes list, DELETED slots
/// included. Entries are located by their <c>pnn</c> field, never by index (Samba master
/// b80acebe3d9); index-based comparisons (B28, B35) say so where they use them.
/// </summary>
public sealed class NodeMapView : IEquatable<NodeMapView>
{
    private readonly NodeEntry[] _nodes;

    public NodeMapView(IReadOnlyList<NodeEntry> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _nodes = nodes.ToArray();
    }

    public IReadOnlyList<NodeEntry> Nodes => _nodes;

    public int Count => _nodes.Length;

    public static NodeMapView Of(params NodeEntry[] nodes) => new(nodes);

    /// <summary>A map whose entry i has PNN i and the given flags (ctdbd's usual shape).</summary>
    public static NodeMapView FromFlags(params NodeFlags[] flags) =>
        new(flags.Select((f, i) => new NodeEntry((uint)i, f)).ToArray());

    /// <summary>The entries without a copy or an enumerator, for the checks that run every second.</summary>
    public ReadOnlySpan<NodeEntry> AsSpan() => _nodes;

    public int IndexOf(uint pnn)
    {
        for (var i = 0; i < _nodes.Length; i++)
        {
            if (_nodes[i].Pnn == pnn)
            {
                return i;
            }
        }

        return -1;
    }

    public bool Contains(uint pnn) => IndexOf(pnn) >= 0;

    public bool TryGetFlags(uint pnn, out NodeFlags flags)
    {
        var i = IndexOf(pnn);
        flags = i >= 0 ? _nodes[i].Flags : default;
        return i >= 0;
    }

    /// <summary>PNNs of entries without an INACTIVE bit, in map order.</summary>
    public IReadOnlyList<uint> ActivePnns() => PnnsWithout(NodeFlags.Inactive);

    /// <summary>PNNs of entries without DISCONNECTED, in map order.</summary>
    public IReadOnlyList<uint> ConnectedPnns() => PnnsWithout(NodeFlags.Disconnected);

    /// <summary>A copy with the flags of one entry replaced (by index, as update_flags() does).</summary>
    public NodeMapView WithFlagsAt(int index, NodeFlags flags)
    {
        var copy = Nodes.ToArray();
        copy[index] = copy[index] with { Flags = flags };
        return new NodeMapView(copy);
    }

    public bool Equals(NodeMapView? other) => other is not null && _nodes.AsSpan().SequenceEqual(other._nodes);

    public override bool Equals(object? obj) => Equals(obj as NodeMapView);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var n in _nodes)
        {
            hash.Add(n);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", Nodes.Select(n => $"{n.Pnn}:{n.Flags.ToHex()}")) + "]";

    /// <summary>
    /// PNNs of the entries with none of <paramref name="bits"/>, in map order (active: no INACTIVE
    /// bit; connected: no DISCONNECTED). Counted first so the array is the only allocation.
    /// </summary>
    private uint[] PnnsWithout(NodeFlags bits)
    {
        var count = 0;
        foreach (var node in _nodes)
        {
            if ((node.Flags & bits) == 0)
            {
                count++;
            }
        }

        if (count == 0)
        {
            return [];
        }

        var pnns = new uint[count];
        var next = 0;
        foreach (var node in _nodes)
        {
            if ((node.Flags & bits) == 0)
            {
                pnns[next++] = node.Pnn;
            }
        }

        return pnns;
    }
}
