namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// Bytes from ctdbd (or handed to a decoder) do not form what the decoder expected: too short,
/// trailing bytes where the size is exact, a count larger than the data, a wrong magic, version,
/// operation or length. The only exception any decoder in this namespace throws; a connection that
/// sees it should be dropped, because the stream is in an unknown state.
/// </summary>
public sealed class CtdbProtocolException : Exception
{
    public CtdbProtocolException()
    {
    }

    public CtdbProtocolException(string message)
        : base(message)
    {
    }

    public CtdbProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
