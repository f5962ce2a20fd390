using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// <c>struct ctdb_node_flag_change</c>, 12 bytes: pnn, then the NEW flags, then the OLD flags
/// (new before old). Payload of MODIFY_FLAGS and of the PUSH_NODE_FLAGS message.
/// </summary>
public readonly record struct NodeFlagChange(uint Pnn, NodeFlags NewFlags, NodeFlags OldFlags) : IWireType<NodeFlagChange>
{
    public const int Size = 12;

    public int WireLength => Size;

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32(Pnn);
        w.WriteUInt32((uint)NewFlags);
        w.WriteUInt32((uint)OldFlags);
    }

    public static NodeFlagChange Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "node flag change");
        var value = new NodeFlagChange(r.ReadUInt32("pnn"), (NodeFlags)r.ReadUInt32("new_flags"), (NodeFlags)r.ReadUInt32("old_flags"));
        consumed = r.Position;
        return value;
    }
}
