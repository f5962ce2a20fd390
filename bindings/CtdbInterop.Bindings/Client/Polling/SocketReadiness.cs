namespace CtdbInterop.Bindings.Client.Polling;

/// <summary>What a poll reported for one watched socket.</summary>
[Flags]
public enum SocketReadiness
{
    None = 0,

    /// <summary>Data, end of stream or an error is waiting: a receive will not block.</summary>
    Readable = 1,

    /// <summary>Room in the send buffer (or an error): a send will not block.</summary>
    Writable = 2,
}
