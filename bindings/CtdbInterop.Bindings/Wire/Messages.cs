using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// Typed message payloads (srvids). Factories return the <see cref="MessagePacket"/>; the caller
/// picks the destination when encoding. Parsers check the payload size (exact, except the leader
/// PNN, where at least 4 bytes are accepted as the C daemon does) and throw
/// <see cref="CtdbProtocolException"/> otherwise. They do not check the srvid: dispatching on it
/// is the caller's job.
/// </summary>
public static class Messages
{
    /// <summary>LEADER: u32 PNN of the leader, or <see cref="CtdbConstants.UnknownPnn"/>.</summary>
    public static MessagePacket Leader(uint pnn) => new(CtdbSrvid.Leader, WireScalars.EncodeUInt32(pnn));

    public static uint ParseLeader(MessagePacket message) => WireScalars.DecodeLeadingUInt32(Data(message), "LEADER message");

    /// <summary>ELECTION: the 32-byte election message.</summary>
    public static MessagePacket Election(ElectionMessage election) => new(CtdbSrvid.Election, WireType.Encode(election));

    public static ElectionMessage ParseElection(MessagePacket message) =>
        WireType.Decode<ElectionMessage>(Data(message), "ELECTION message");

    /// <summary>TAKEOVER_RUN: a reply address (16 bytes); srvid 0 = no reply wanted.</summary>
    public static MessagePacket TakeoverRun(SrvidMessage replyTo) => new(CtdbSrvid.TakeoverRun, WireType.Encode(replyTo));

    /// <summary>A 16-byte reply address (TAKEOVER_RUN, MEM_DUMP).</summary>
    public static SrvidMessage ParseSrvidMessage(MessagePacket message) =>
        WireType.Decode<SrvidMessage>(Data(message), "srvid message");

    /// <summary>DISABLE_TAKEOVER_RUNS: reply address and timeout (24 bytes).</summary>
    public static MessagePacket DisableTakeoverRuns(DisableMessage request) =>
        new(CtdbSrvid.DisableTakeoverRuns, WireType.Encode(request));

    /// <summary>DISABLE_RECOVERIES: reply address and timeout (24 bytes).</summary>
    public static MessagePacket DisableRecoveries(DisableMessage request) =>
        new(CtdbSrvid.DisableRecoveries, WireType.Encode(request));

    public static DisableMessage ParseDisableMessage(MessagePacket message) =>
        WireType.Decode<DisableMessage>(Data(message), "disable message");

    /// <summary>PUSH_NODE_FLAGS (and the obsolete SET_NODE_FLAGS): a 12-byte flag change.</summary>
    public static MessagePacket PushNodeFlags(NodeFlagChange change) => new(CtdbSrvid.PushNodeFlags, WireType.Encode(change));

    public static NodeFlagChange ParseNodeFlagChange(MessagePacket message) =>
        WireType.Decode<NodeFlagChange>(Data(message), "node flag change message");

    /// <summary>BANNING: u32 PNN to blame.</summary>
    public static MessagePacket Banning(uint pnn) => new(CtdbSrvid.Banning, WireScalars.EncodeUInt32(pnn));

    /// <summary>REBALANCE_NODE: u32 PNN.</summary>
    public static MessagePacket RebalanceNode(uint pnn) => new(CtdbSrvid.RebalanceNode, WireScalars.EncodeUInt32(pnn));

    /// <summary>A payload of exactly one u32 PNN (BANNING, REBALANCE_NODE).</summary>
    public static uint ParsePnn(MessagePacket message) => WireScalars.DecodeUInt32(Data(message), "PNN message");

    /// <summary>DISABLE_IP_CHECK: u32 timeout in seconds.</summary>
    public static uint ParseDisableIpCheck(MessagePacket message) => WireScalars.DecodeUInt32(Data(message), "DISABLE_IP_CHECK message");

    /// <summary>RECONFIGURE: empty payload.</summary>
    public static MessagePacket Reconfigure() => new(CtdbSrvid.Reconfigure, ReadOnlyMemory<byte>.Empty);

    /// <summary>RELOAD_NODES: empty payload.</summary>
    public static MessagePacket ReloadNodes() => new(CtdbSrvid.ReloadNodes, ReadOnlyMemory<byte>.Empty);

    /// <summary>A reply to a reply address: one i32 (own PNN, -1, or -errno).</summary>
    public static MessagePacket Int32Reply(ulong srvid, int value) => new(srvid, WireScalars.EncodeInt32(value));

    public static int ParseInt32Reply(MessagePacket message) => WireScalars.DecodeInt32(Data(message), "int32 reply");

    /// <summary>A text reply (MEM_DUMP): the text without a NUL, as ctdbd sends its reports.</summary>
    public static MessagePacket TextReply(ulong srvid, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new MessagePacket(srvid, System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Text up to the first NUL or the end; empty for an empty payload.</summary>
    public static string ParseTextReply(MessagePacket message) => WireScalars.DecodeCString(Data(message)) ?? string.Empty;

    /// <summary>
    /// RELEASE_IP, ctdbd to its own clients: the released address as NUL-terminated text.
    /// Empty for an empty payload.
    /// </summary>
    public static string ParseReleasedAddress(MessagePacket message) => WireScalars.DecodeCString(Data(message)) ?? string.Empty;

    private static ReadOnlySpan<byte> Data(MessagePacket message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Data.Span;
    }
}
