using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>Controls about the node itself: identity, state, settings.</summary>
public static partial class Controls
{
    /// <summary>GET_PID (30): ctdbd's PID, in the reply status.</summary>
    public static ControlRequest GetPid(uint destNode) => Request(CtdbControl.GetPid, destNode);

    public static int ParseGetPid(ControlReply reply) => ResultInStatus(CtdbControl.GetPid, reply);

    /// <summary>GET_PNN (35): the node's PNN, in the reply status.</summary>
    public static ControlRequest GetPnn(uint destNode) => Request(CtdbControl.GetPnn, destNode);

    public static uint ParseGetPnn(ControlReply reply) => (uint)ResultInStatus(CtdbControl.GetPnn, reply);

    /// <summary>GET_RUNSTATE (138): u32 runstate.</summary>
    public static ControlRequest GetRunstate(uint destNode) => Request(CtdbControl.GetRunstate, destNode);

    public static CtdbRunstate ParseGetRunstate(ControlReply reply) =>
        (CtdbRunstate)WireScalars.DecodeUInt32(EnsureSuccess(CtdbControl.GetRunstate, reply), "runstate");

    /// <summary>GET_DEBUG (7): i32 debug level.</summary>
    public static ControlRequest GetDebug(uint destNode) => Request(CtdbControl.GetDebug, destNode);

    public static int ParseGetDebug(ControlReply reply) =>
        WireScalars.DecodeInt32(EnsureSuccess(CtdbControl.GetDebug, reply), "debug level");

    /// <summary>GET_CAPABILITIES (80): u32 capability bits.</summary>
    public static ControlRequest GetCapabilities(uint destNode) => Request(CtdbControl.GetCapabilities, destNode);

    public static CtdbCapabilities ParseGetCapabilities(ControlReply reply) =>
        (CtdbCapabilities)WireScalars.DecodeUInt32(EnsureSuccess(CtdbControl.GetCapabilities, reply), "capabilities");

    /// <summary>GET_ALL_TUNABLES (53): the 248-byte tunable list.</summary>
    public static ControlRequest GetAllTunables(uint destNode) => Request(CtdbControl.GetAllTunables, destNode);

    public static TunableList ParseGetAllTunables(ControlReply reply) =>
        Payload<TunableList>(CtdbControl.GetAllTunables, reply, "tunable list");

    /// <summary>GET_RECLOCK_FILE (99): the cluster lock string, or null when none is configured (empty data).</summary>
    public static ControlRequest GetReclockFile(uint destNode) => Request(CtdbControl.GetReclockFile, destNode);

    public static string? ParseGetReclockFile(ControlReply reply) =>
        WireScalars.DecodeCString(EnsureSuccess(CtdbControl.GetReclockFile, reply));

    /// <summary>UPTIME (69): four timevals.</summary>
    public static ControlRequest Uptime(uint destNode) => Request(CtdbControl.Uptime, destNode);

    public static Uptime ParseUptime(ControlReply reply) => Payload<Uptime>(CtdbControl.Uptime, reply, "uptime");

    /// <summary>PROCESS_EXISTS (0): i32 PID; status 0 if the process exists (and is a client), -1 if not.</summary>
    public static ControlRequest ProcessExists(uint destNode, int pid) =>
        Request(CtdbControl.ProcessExists, destNode, WireScalars.EncodeInt32(pid));

    /// <summary>True for status 0, false for any other status; error text is a failure.</summary>
    public static bool ParseProcessExists(ControlReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.ErrorMessage is not null)
        {
            throw Failure(CtdbControl.ProcessExists, reply);
        }

        return reply.Status == 0;
    }
}
