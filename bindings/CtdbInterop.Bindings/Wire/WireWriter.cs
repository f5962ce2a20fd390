using System.Buffers.Binary;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// Forward writer over a buffer that the caller sized from the type's length (the push half of
/// the length/push/pull triad). Little-endian, as <see cref="WireReader"/> explains. Writing past
/// the end is a bug in the caller and throws <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
internal ref struct WireWriter
{
    private readonly Span<byte> buffer;

    public WireWriter(Span<byte> buffer) => this.buffer = buffer;

    public int Position { get; private set; }

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Next(4), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Next(4), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Next(2), value);

    public void WriteByte(byte value) => Next(1)[0] = value;

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Next(8), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Next(8), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Next(8), value);

    /// <summary>Writes zero bytes (alignment padding, or the rest of a fixed-size field).</summary>
    public void WriteZeros(int count) => Next(count).Clear();

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Next(bytes.Length));

    /// <summary>Lets a nested type push itself at the current position.</summary>
    public Span<byte> Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length - Position);
        var slice = buffer.Slice(Position, count);
        Position += count;
        return slice;
    }
}
