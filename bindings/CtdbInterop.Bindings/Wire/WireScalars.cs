using System.Buffers.Binary;
using System.Text;

namespace CtdbInterop.Bindings.Wire;

/// <summary>Single-value payloads: u32, i32, double, C strings.</summary>
public static class WireScalars
{
    public static byte[] EncodeUInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    public static byte[] EncodeInt32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    public static byte[] EncodeDouble(double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>The string's UTF-8 bytes followed by a NUL (as ctdbd sends strings in control data).</summary>
    public static byte[] EncodeCString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("a C string cannot contain NUL", nameof(value));
        }

        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    /// <summary>Exactly 4 bytes as u32.</summary>
    public static uint DecodeUInt32(ReadOnlySpan<byte> data, string what)
    {
        var r = new WireReader(data, what);
        var value = r.ReadUInt32();
        r.ExpectEnd();
        return value;
    }

    /// <summary>Exactly 4 bytes as i32.</summary>
    public static int DecodeInt32(ReadOnlySpan<byte> data, string what)
    {
        var r = new WireReader(data, what);
        var value = r.ReadInt32();
        r.ExpectEnd();
        return value;
    }

    /// <summary>At least 4 bytes; the first 4 as u32, the rest ignored.</summary>
    public static uint DecodeLeadingUInt32(ReadOnlySpan<byte> data, string what)
    {
        var r = new WireReader(data, what);
        return r.ReadUInt32();
    }

    /// <summary>Exactly 8 bytes as an IEEE-754 double.</summary>
    public static double DecodeDouble(ReadOnlySpan<byte> data, string what)
    {
        var r = new WireReader(data, what);
        var value = r.ReadDouble();
        r.ExpectEnd();
        return value;
    }

    /// <summary>
    /// Text up to the first NUL, or all of it if there is none (ctdb sends some strings with and
    /// some without a terminator); null for empty data.
    /// </summary>
    public static string? DecodeCString(ReadOnlySpan<byte> data) => data.IsEmpty ? null : CtdbText.FromBytes(data);
}
