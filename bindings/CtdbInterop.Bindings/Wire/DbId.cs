using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// One database (<c>struct ctdb_dbid</c>, 8 bytes): db_id (u32), flags (u8,
/// <see cref="CtdbDbFlags"/>), 3 pad bytes.
/// </summary>
public sealed record DbId(uint Id, CtdbDbFlags Flags) : IWireType<DbId>
{
    public const int Size = 8;

    public int WireLength => Size;

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        Write(ref w);
    }

    public static DbId Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "database id");
        var value = Read(ref r);
        consumed = r.Position;
        return value;
    }

    internal void Write(ref WireWriter w)
    {
        w.WriteUInt32(Id);
        w.WriteByte((byte)Flags);
        w.WriteZeros(3);
    }

    internal static DbId Read(ref WireReader r)
    {
        var id = r.ReadUInt32("db_id");
        var flags = (CtdbDbFlags)r.ReadByte("flags");
        r.Skip(3);
        return new DbId(id, flags);
    }
}
