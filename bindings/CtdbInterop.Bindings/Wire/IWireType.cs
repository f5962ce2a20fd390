namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// A ctdb wire type with the length / push / pull triad of Samba's protocol library.
/// <see cref="WireLength"/> says how many bytes <see cref="Push"/> writes; <see cref="Pull"/>
/// reads one value from the start of the data and reports how many bytes it used, leaving any
/// rest to the caller. Pull checks every length and count against the data before reading or
/// allocating and throws only <see cref="CtdbProtocolException"/>.
/// </summary>
public interface IWireType<TSelf>
    where TSelf : IWireType<TSelf>
{
    /// <summary>Bytes <see cref="Push"/> writes.</summary>
    int WireLength { get; }

    /// <summary>Writes exactly <see cref="WireLength"/> bytes at the start of <paramref name="destination"/>.</summary>
    void Push(Span<byte> destination);

    /// <summary>Reads one value from the start of <paramref name="source"/>.</summary>
    static abstract TSelf Pull(ReadOnlySpan<byte> source, out int consumed);
}
