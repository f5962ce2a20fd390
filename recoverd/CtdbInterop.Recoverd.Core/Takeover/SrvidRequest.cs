namespace CtdbInterop.Recoverd.Core.Takeover;

/// <summary>A decoded <c>ctdb_srvid_message</c> (16 bytes): where to reply; srvid 0 = no reply wanted.</summary>
public readonly record struct SrvidRequest(uint Pnn, ulong Srvid);
