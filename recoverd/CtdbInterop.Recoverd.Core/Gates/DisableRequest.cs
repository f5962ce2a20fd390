namespace CtdbInterop.Recoverd.Core.Gates;

/// <summary>A decoded <c>ctdb_disable_message</c> (24 bytes): reply address and timeout in seconds.</summary>
public readonly record struct DisableRequest(uint Pnn, ulong Srvid, uint TimeoutSeconds);
