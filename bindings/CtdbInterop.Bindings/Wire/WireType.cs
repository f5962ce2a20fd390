namespace CtdbInterop.Bindings.Wire;

/// <summary>Whole-buffer helpers over <see cref="IWireType{TSelf}"/>.</summary>
public static class WireType
{
    /// <summary>Returns the value's wire bytes.</summary>
    public static byte[] Encode<T>(T value)
        where T : IWireType<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = new byte[value.WireLength];
        value.Push(bytes);
        return bytes;
    }

    /// <summary>
    /// Decodes a value that must fill <paramref name="data"/> exactly (a control reply or
    /// message payload); trailing bytes are a protocol error.
    /// </summary>
    public static T Decode<T>(ReadOnlySpan<byte> data, string what)
        where T : IWireType<T>
    {
        var value = T.Pull(data, out var consumed);
        if (consumed != data.Length)
        {
            throw new CtdbProtocolException($"{what}: {data.Length - consumed} unexpected trailing byte(s) after {consumed} bytes");
        }

        return value;
    }
}
