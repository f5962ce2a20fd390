using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// Bounds-checked forward reader over ctdb wire data. ctdb writes its structures in host byte
/// order; this project runs only on little-endian LP64 hosts (x86-64, arm64), so everything is
/// read little-endian. Every shortfall becomes a <see cref="CtdbProtocolException"/> naming
/// <see cref="What"/>, the offset, and how many bytes were needed and left.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> data;

    public WireReader(ReadOnlySpan<byte> data, string what)
    {
        this.data = data;
        What = what;
    }

    /// <summary>What is being decoded, for error messages (e.g. "node map").</summary>
    public string What { get; }

    public int Position { get; private set; }

    public readonly int Remaining => data.Length - Position;

    public uint ReadUInt32(string field = "u32") => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

    public int ReadInt32(string field = "i32") => BinaryPrimitives.ReadInt32LittleEndian(Take(4, field));

    public ushort ReadUInt16(string field = "u16") => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

    public byte ReadByte(string field = "u8") => Take(1, field)[0];

    public ulong ReadUInt64(string field = "u64") => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, field));

    public long ReadInt64(string field = "i64") => BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));

    public double ReadDouble(string field = "double") => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, field));

    /// <summary>Skips alignment padding; its content is not checked (ctdb does not either).</summary>
    public void Skip(int count, string field = "padding") => Take(count, field);

    public ReadOnlySpan<byte> ReadBytes(int count, string field) => Take(count, field);

    /// <summary>
    /// Validates an element count read from the wire against the bytes left, before anything is
    /// allocated for it, and returns it as an int.
    /// </summary>
    public readonly int CheckCount(uint count, int elementSize, string field)
    {
        if ((ulong)count * (ulong)elementSize > (ulong)Remaining)
        {
            Fail($"{field} {count} needs {(ulong)count * (ulong)elementSize} bytes at offset {Position}, only {Remaining} left");
        }

        return (int)count;
    }

    /// <summary>Requires that nothing follows (for types whose size is exact).</summary>
    public readonly void ExpectEnd()
    {
        if (Remaining != 0)
        {
            Fail($"{Remaining} unexpected trailing byte(s) after {Position} bytes");
        }
    }

    [DoesNotReturn]
    public readonly void Fail(string detail) => throw new CtdbProtocolException($"{What}: {detail}");

    // Every field read goes through here, a few hundred times a second on an idle daemon: the
    // failure's message is built in a method of its own, which took the common path from 41
    // instructions a call to 27 (issue 7, scripts/bench/idle-instructions.sh).
    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if ((uint)count > (uint)(data.Length - Position))
        {
            FailTruncated(count, field);
        }

        var slice = data.Slice(Position, count);
        Position += count;
        return slice;
    }

    [DoesNotReturn]
    private readonly void FailTruncated(int count, string field) =>
        Fail($"truncated: {field} needs {count} byte(s) at offset {Position}, only {Remaining} left");
}
