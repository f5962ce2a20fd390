using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Fuzz;

/// <summary>
/// Every typed control reply parser. A reply carries no opcode, so each parser sees every reply:
/// the daemon may get any bytes in answer to any control.
/// </summary>
internal static class ReplyParsers
{
    public static void RunAll(ControlReply reply)
    {
        Expect.Parses(() => Controls.ResultInStatus(default, reply));
        Expect.Parses(() => Controls.EnsureSuccess(default, reply));
        Expect.Parses(() => Controls.ParseGetNodemap(reply));
        Expect.Parses(() => Controls.ParseGetNodesFile(reply));
        Expect.Parses(() => Controls.ParseGetVnnmap(reply));
        Expect.Parses(() => Controls.ParseGetDbmap(reply));
        Expect.Parses(() => Controls.ParseGetPublicIps(reply));
        Expect.Parses(() => Controls.ParseGetIfaces(reply));
        Expect.Parses(() => Controls.ParseModifyFlags(reply));
        Expect.Parses(() => Controls.ParseSetBanState(reply));
        Expect.Parses(() => Controls.ParseGetPid(reply));
        Expect.Parses(() => Controls.ParseGetPnn(reply));
        Expect.Parses(() => Controls.ParseGetRunstate(reply));
        Expect.Parses(() => Controls.ParseGetDebug(reply));
        Expect.Parses(() => Controls.ParseGetCapabilities(reply));
        Expect.Parses(() => Controls.ParseGetAllTunables(reply));
        Expect.Parses(() => Controls.ParseGetReclockFile(reply));
        Expect.Parses(() => Controls.ParseUptime(reply));
        Expect.Parses(() => Controls.ParseProcessExists(reply));
        Expect.Parses(() => Controls.ParseGetRecmode(reply));
        Expect.Parses(() => Controls.ParseSetRecmode(reply));
        Expect.Parses(() => Controls.ParseFreeze(reply));
        Expect.Parses(() => Controls.ParseRecdPing(reply));
        Expect.Parses(() => Controls.ParseRecdReclockLatency(reply));
        Expect.Parses(() => Controls.ParseRegisterSrvid(reply));
        Expect.Parses(() => Controls.ParseDeregisterSrvid(reply));
    }
}
