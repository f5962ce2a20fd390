using System.Collections.Immutable;

namespace CtdbInterop.Bindings.Wire;

/// <summary>The database map (<c>struct ctdb_dbid_map_old</c>): num (u32), then num × 8-byte entries. Reply of GET_DBMAP.</summary>
public sealed record DbIdMap(ImmutableArray<DbId> Databases) : IWireType<DbIdMap>
{
    public int WireLength => 4 + (Databases.Length * DbId.Size);

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32((uint)Databases.Length);
        foreach (var db in Databases)
        {
            db.Write(ref w);
        }
    }

    public static DbIdMap Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "database map");
        var count = r.CheckCount(r.ReadUInt32("num"), DbId.Size, "database count");
        var dbs = ImmutableArray.CreateBuilder<DbId>(count);
        for (var i = 0; i < count; i++)
        {
            dbs.Add(DbId.Read(ref r));
        }

        consumed = r.Position;
        return new DbIdMap(dbs.MoveToImmutable());
    }

    /// <summary>Equal when the entries are equal, in order.</summary>
    public bool Equals(DbIdMap? other) => other is not null && Databases.SequenceEqual(other.Databases);

    public override int GetHashCode() => Databases.Length;
}
