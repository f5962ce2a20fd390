using System.Text;
using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// <c>struct ctdb_iface</c>, 24 bytes: name (char[18], NUL-terminated and zero padded, so at
/// most 17 bytes of text), link_state (u16: 1 up, 0 down), references (u32).
/// </summary>
public sealed record Iface(string Name, ushort LinkState, uint References) : IWireType<Iface>
{
    public const int Size = 24;

    /// <summary>Bytes of the name field: <c>CTDB_IFACE_SIZE</c> (IFNAMSIZ) + 2.</summary>
    public const int NameSize = CtdbConstants.IfaceSize + 2;

    /// <summary>The interface name: under 18 UTF-8 bytes, no NUL.</summary>
    public string Name { get; init; } = ValidName(Name);

    public int WireLength => Size;

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        Write(ref w);
    }

    public static Iface Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "interface");
        var value = Read(ref r);
        consumed = r.Position;
        return value;
    }

    internal void Write(ref WireWriter w)
    {
        var name = w.Next(NameSize);
        name.Clear();
        Encoding.UTF8.GetBytes(Name, name);
        w.WriteUInt16(LinkState);
        w.WriteUInt32(References);
    }

    internal static Iface Read(ref WireReader r)
    {
        // ctdb forces the last byte to NUL, so at most 17 bytes of text count.
        var name = CtdbText.FromBytes(r.ReadBytes(NameSize, "name")[..(NameSize - 1)]);
        if (Encoding.UTF8.GetByteCount(name) >= NameSize)
        {
            // Only possible when invalid UTF-8 was replaced by longer U+FFFD sequences.
            r.Fail($"interface name at offset {r.Position - NameSize} is not valid UTF-8");
        }

        return new Iface(name, r.ReadUInt16("link_state"), r.ReadUInt32("references"));
    }

    private static string ValidName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(name) >= NameSize)
        {
            throw new ArgumentException($"interface name '{name}' must be under {NameSize} bytes without NUL", nameof(name));
        }

        return name;
    }
}
