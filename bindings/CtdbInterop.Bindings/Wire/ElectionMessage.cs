using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// <c>struct ctdb_election_message</c>, 32 bytes: num_connected (u32), 4 pad, priority_time
/// (wall-clock timeval, 16 bytes), pnn (u32), node_flags (u32). Payload of CTDB_SRVID_ELECTION.
/// </summary>
public readonly record struct ElectionMessage(uint NumConnected, TimeVal PriorityTime, uint Pnn, NodeFlags NodeFlags)
    : IWireType<ElectionMessage>
{
    public const int Size = 32;

    public int WireLength => Size;

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32(NumConnected);
        w.WriteZeros(4);
        PriorityTime.Write(ref w);
        w.WriteUInt32(Pnn);
        w.WriteUInt32((uint)NodeFlags);
    }

    public static ElectionMessage Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "election message");
        var connected = r.ReadUInt32("num_connected");
        r.Skip(4);
        var time = TimeVal.Read(ref r, "priority_time");
        var value = new ElectionMessage(connected, time, r.ReadUInt32("pnn"), (NodeFlags)r.ReadUInt32("node_flags"));
        consumed = r.Position;
        return value;
    }
}
