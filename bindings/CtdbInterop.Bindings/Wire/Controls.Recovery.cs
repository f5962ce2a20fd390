using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>Controls the recovery daemon uses to drive recovery and report liveness.</summary>
public static partial class Controls
{
    /// <summary>GET_RECMODE (15): the recovery mode, in the reply status.</summary>
    public static ControlRequest GetRecmode(uint destNode) => Request(CtdbControl.GetRecmode, destNode);

    public static CtdbRecoveryMode ParseGetRecmode(ControlReply reply)
    {
        var status = ResultInStatus(CtdbControl.GetRecmode, reply);
        return status switch
        {
            (int)CtdbRecoveryMode.Normal => CtdbRecoveryMode.Normal,
            (int)CtdbRecoveryMode.Active => CtdbRecoveryMode.Active,
            _ => throw new CtdbProtocolException($"GET_RECMODE reply: unknown recovery mode {status}"),
        };
    }

    /// <summary>SET_RECMODE (16): u32 mode; status 0 (NORMAL may be refused).</summary>
    public static ControlRequest SetRecmode(uint destNode, CtdbRecoveryMode mode) =>
        Request(CtdbControl.SetRecmode, destNode, WireScalars.EncodeUInt32((uint)mode));

    public static void ParseSetRecmode(ControlReply reply) => EnsureSuccess(CtdbControl.SetRecmode, reply);

    public static CtdbRecoveryMode ReadSetRecmodeRequest(ControlRequest request) =>
        (CtdbRecoveryMode)WireScalars.DecodeUInt32(RequestData(CtdbControl.SetRecmode, request), "SET_RECMODE request");

    /// <summary>FREEZE (33): freeze all databases; replied when they are frozen.</summary>
    public static ControlRequest Freeze(uint destNode) => Request(CtdbControl.Freeze, destNode);

    public static void ParseFreeze(ControlReply reply) => EnsureSuccess(CtdbControl.Freeze, reply);

    /// <summary>RECD_PING (87): tells the local ctdbd the recovery daemon is alive.</summary>
    public static ControlRequest RecdPing(uint destNode) => Request(CtdbControl.RecdPing, destNode);

    public static void ParseRecdPing(ControlReply reply) => EnsureSuccess(CtdbControl.RecdPing, reply);

    /// <summary>RECD_RECLOCK_LATENCY (98): cluster lock latency in seconds (double).</summary>
    public static ControlRequest RecdReclockLatency(uint destNode, double seconds) =>
        Request(CtdbControl.RecdReclockLatency, destNode, WireScalars.EncodeDouble(seconds));

    public static void ParseRecdReclockLatency(ControlReply reply) => EnsureSuccess(CtdbControl.RecdReclockLatency, reply);

    public static double ReadRecdReclockLatencyRequest(ControlRequest request) =>
        WireScalars.DecodeDouble(RequestData(CtdbControl.RecdReclockLatency, request), "RECD_RECLOCK_LATENCY request");

    /// <summary>REGISTER_SRVID (23): deliver messages for this srvid to this connection (srvid in the control header).</summary>
    public static ControlRequest RegisterSrvid(ulong srvid, uint destNode = CtdbConstants.CurrentNode) =>
        Request(CtdbControl.RegisterSrvid, destNode, srvid: srvid);

    public static void ParseRegisterSrvid(ControlReply reply) => EnsureSuccess(CtdbControl.RegisterSrvid, reply);

    /// <summary>DEREGISTER_SRVID (24): undo REGISTER_SRVID.</summary>
    public static ControlRequest DeregisterSrvid(ulong srvid, uint destNode = CtdbConstants.CurrentNode) =>
        Request(CtdbControl.DeregisterSrvid, destNode, srvid: srvid);

    public static void ParseDeregisterSrvid(ControlReply reply) => EnsureSuccess(CtdbControl.DeregisterSrvid, reply);
}
