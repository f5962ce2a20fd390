using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Client;

/// <summary>
/// A message ctdbd delivered for a srvid this client registered. The sender is not part of
/// it: ctdbd fills the header's source node with the delivering node, so payloads that need
/// a sender carry it themselves (election, reply addresses).
/// </summary>
public readonly record struct IncomingMessage(ulong Srvid, ReadOnlyMemory<byte> Data)
{
    /// <summary>The message as the codec's typed parsers (<see cref="Messages"/>) take it.</summary>
    public MessagePacket Packet => new(Srvid, Data);
}
