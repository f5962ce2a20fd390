namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// <c>struct ctdb_srvid_message</c>, 16 bytes: pnn (u32), 4 pad bytes, srvid (u64). A reply
/// address (srvid 0 = no reply wanted); payload of TAKEOVER_RUN and MEM_DUMP.
/// </summary>
public readonly record struct SrvidMessage(uint Pnn, ulong Srvid) : IWireType<SrvidMessage>
{
    public const int Size = 16;

    public int WireLength => Size;

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32(Pnn);
        w.WriteZeros(4);
        w.WriteUInt64(Srvid);
    }

    public static SrvidMessage Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "srvid message");
        var pnn = r.ReadUInt32("pnn");
        r.Skip(4);
        var value = new SrvidMessage(pnn, r.ReadUInt64("srvid"));
        consumed = r.Position;
        return value;
    }
}
