using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Client;

/// <summary>A message ctdbd delivered for a srvid this client registered.</summary>
public readonly record struct IncomingMessage(ulong Srvid, uint SourceNode, ReadOnlyMemory<byte> Data)
{
    /// <summary>The message as the codec's typed parsers (<see cref="Messages"/>) take it.</summary>
    public MessagePacket Packet => new(Srvid, Data);
}
