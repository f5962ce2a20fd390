namespace CtdbInterop.Bindings.Wire;

/// <summary><c>struct ctdb_ban_state</c>, 8 bytes: pnn, time (seconds; 0 = unban). Payload of SET_BAN_STATE.</summary>
public readonly record struct BanState(uint Pnn, uint Time) : IWireType<BanState>
{
    public const int Size = 8;

    public int WireLength => Size;

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32(Pnn);
        w.WriteUInt32(Time);
    }

    public static BanState Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "ban state");
        var value = new BanState(r.ReadUInt32("pnn"), r.ReadUInt32("time"));
        consumed = r.Position;
        return value;
    }
}
