namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// <c>struct ctdb_disable_message</c>, 24 bytes: pnn (u32), 4 pad, srvid (u64), timeout (u32,
/// seconds), 4 pad. Payload of DISABLE_TAKEOVER_RUNS and DISABLE_RECOVERIES.
/// </summary>
public readonly record struct DisableMessage(uint Pnn, ulong Srvid, uint Timeout) : IWireType<DisableMessage>
{
    public const int Size = 24;

    public int WireLength => Size;

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32(Pnn);
        w.WriteZeros(4);
        w.WriteUInt64(Srvid);
        w.WriteUInt32(Timeout);
        w.WriteZeros(4);
    }

    public static DisableMessage Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "disable message");
        var pnn = r.ReadUInt32("pnn");
        r.Skip(4);
        var srvid = r.ReadUInt64("srvid");
        var timeout = r.ReadUInt32("timeout");
        r.Skip(4);
        consumed = r.Position;
        return new DisableMessage(pnn, srvid, timeout);
    }
}
