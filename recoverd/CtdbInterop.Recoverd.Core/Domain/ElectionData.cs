using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>
/// The content of a <c>CTDB_SRVID_ELECTION</c> message (<c>ctdb_election_message</c>, B79):
/// <see cref="NumConnected"/> is sent but never compared (B80).
/// </summary>
public readonly record struct ElectionData(uint NumConnected, WallTime PriorityTime, uint Pnn, NodeFlags NodeFlags);
