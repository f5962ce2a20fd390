using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>Controls about cluster membership and maps.</summary>
public static partial class Controls
{
    /// <summary>GET_NODEMAP (91): ctdbd's node map. An empty reply is a protocol error.</summary>
    public static ControlRequest GetNodemap(uint destNode) => Request(CtdbControl.GetNodemap, destNode);

    public static NodeMap ParseGetNodemap(ControlReply reply) => Payload<NodeMap>(CtdbControl.GetNodemap, reply, "node map");

    /// <summary>GET_NODES_FILE (140): the nodes file as a node map (PNN = line, DELETED for comments).</summary>
    public static ControlRequest GetNodesFile(uint destNode) => Request(CtdbControl.GetNodesFile, destNode);

    public static NodeMap ParseGetNodesFile(ControlReply reply) => Payload<NodeMap>(CtdbControl.GetNodesFile, reply, "nodes file");

    /// <summary>GETVNNMAP (5): generation and vnn map; exactly 8 + 4 × size bytes.</summary>
    public static ControlRequest GetVnnmap(uint destNode) => Request(CtdbControl.Getvnnmap, destNode);

    public static VnnMap ParseGetVnnmap(ControlReply reply) => Payload<VnnMap>(CtdbControl.Getvnnmap, reply, "vnn map");

    /// <summary>GET_DBMAP (9): the attached databases.</summary>
    public static ControlRequest GetDbmap(uint destNode) => Request(CtdbControl.GetDbmap, destNode);

    public static DbIdMap ParseGetDbmap(ControlReply reply) => Payload<DbIdMap>(CtdbControl.GetDbmap, reply, "database map");

    /// <summary>GET_PUBLIC_IPS (90): public addresses; <paramref name="availableOnly"/> sets flag 0x00010000.</summary>
    public static ControlRequest GetPublicIps(uint destNode, bool availableOnly) =>
        Request(CtdbControl.GetPublicIps, destNode, flags: availableOnly ? (uint)CtdbControlFlags.PublicIpOnlyAvailable : 0);

    public static PublicIpList ParseGetPublicIps(ControlReply reply) =>
        Payload<PublicIpList>(CtdbControl.GetPublicIps, reply, "public ip list");

    /// <summary>GET_IFACES (124): network interfaces with link state.</summary>
    public static ControlRequest GetIfaces(uint destNode) => Request(CtdbControl.GetIfaces, destNode);

    public static IfaceList ParseGetIfaces(ControlReply reply) => Payload<IfaceList>(CtdbControl.GetIfaces, reply, "interface list");

    /// <summary>MODIFY_FLAGS (52): 12-byte flag change (pnn, new, old); status 0.</summary>
    public static ControlRequest ModifyFlags(uint destNode, NodeFlagChange change) =>
        Request(CtdbControl.ModifyFlags, destNode, WireType.Encode(change));

    public static void ParseModifyFlags(ControlReply reply) => EnsureSuccess(CtdbControl.ModifyFlags, reply);

    public static NodeFlagChange ReadModifyFlagsRequest(ControlRequest request) =>
        WireType.Decode<NodeFlagChange>(RequestData(CtdbControl.ModifyFlags, request), "MODIFY_FLAGS request");

    /// <summary>SET_BAN_STATE (109): 8-byte ban state; status 0, -1 if pnn is not the target's.</summary>
    public static ControlRequest SetBanState(uint destNode, BanState state) =>
        Request(CtdbControl.SetBanState, destNode, WireType.Encode(state));

    public static void ParseSetBanState(ControlReply reply) => EnsureSuccess(CtdbControl.SetBanState, reply);

    public static BanState ReadSetBanStateRequest(ControlRequest request) =>
        WireType.Decode<BanState>(RequestData(CtdbControl.SetBanState, request), "SET_BAN_STATE request");

    private static ReadOnlySpan<byte> RequestData(CtdbControl expected, ControlRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Opcode != expected)
        {
            throw new CtdbProtocolException($"expected a {expected} request, got {request.Opcode}");
        }

        return request.Data.Span;
    }
}
