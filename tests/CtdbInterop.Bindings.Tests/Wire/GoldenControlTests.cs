using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>Typed decoding of real ctdbd replies, checked against the tool's own output where it printed one.</summary>
[Description("GoldenData/README.md; recoverd-behaviours §4.3")]
public partial class GoldenControlTests
{
    private static readonly IPEndPoint[] NodeAddresses =
    [
        new(IPAddress.Parse("127.0.0.1"), CtdbConstants.Port),
        new(IPAddress.Parse("127.0.0.2"), CtdbConstants.Port),
        new(IPAddress.Parse("127.0.0.3"), CtdbConstants.Port),
    ];

    private static readonly CtdbDbFlags[] DbFlagsRecorded = [0, CtdbDbFlags.Persistent];
    private static readonly string[] CapabilityLines = ["LEADER: YES", "LMASTER: YES"];
    private static readonly string[] PublicAddresses = ["127.0.100.1", "127.0.100.2", "127.0.100.3"];

    [Test]
    public void Tool_asks_for_its_pnn_first_with_unknown_srcnode_then_uses_it()
    {
        var capture = GoldenCapture.Load("pnn");
        var controls = capture.Controls();
        var getPnn = controls[0];

        Assert.That(getPnn.Request.Opcode, Is.EqualTo(CtdbControl.GetPnn));
        Assert.That(getPnn.RequestHeader.DestNode, Is.EqualTo(CtdbConstants.CurrentNode));
        Assert.That(getPnn.RequestHeader.SrcNode, Is.EqualTo(CtdbConstants.UnknownPnn));
        Assert.That(getPnn.RequestHeader.Generation, Is.Zero);
        Assert.That(Controls.ParseGetPnn(getPnn.Reply), Is.EqualTo(uint.Parse(capture.ToolOutput.Single(), CultureInfo.InvariantCulture)));
        Assert.That(getPnn.Reply.Data.Length, Is.Zero, "GET_PNN returns its result in the status");

        var register = controls[1];
        Assert.That(register.Request.Opcode, Is.EqualTo(CtdbControl.RegisterSrvid));
        Assert.That(register.Request.Srvid, Is.EqualTo(CtdbSrvid.Leader));
        Assert.That(register.RequestHeader.SrcNode, Is.EqualTo(0), "srcnode = the PNN learnt from GET_PNN");
        Controls.ParseRegisterSrvid(register.Reply);
    }

    [Test]
    public void Node_1_reports_pnn_1()
    {
        var getPnn = GoldenCapture.Load("nodestatus").Control(CtdbControl.GetPnn);
        Assert.That(Controls.ParseGetPnn(getPnn.Reply), Is.EqualTo(1));
        Assert.That(getPnn.ReplyHeader.SrcNode, Is.EqualTo(1));
    }

    [Test]
    public void Get_pid_returns_ctdbds_pid_in_the_status()
    {
        var capture = GoldenCapture.Load("getpid");
        var pid = Controls.ParseGetPid(capture.Control(CtdbControl.GetPid).Reply);
        Assert.That(pid, Is.EqualTo(int.Parse(capture.ToolOutput.Single(), CultureInfo.InvariantCulture)).And.GreaterThan(1));
    }

    [Test]
    public void Status_shows_three_healthy_nodes_a_vnn_map_and_normal_mode()
    {
        var capture = GoldenCapture.Load("status");

        var nodes = Controls.ParseGetNodemap(capture.Control(CtdbControl.GetNodemap).Reply);
        Assert.That(nodes.Nodes.Select(n => n.Pnn), Is.EqualTo(new uint[] { 0, 1, 2 }));
        Assert.That(nodes.Nodes.Select(n => n.Flags), Is.All.EqualTo((NodeFlags)0));
        Assert.That(nodes.Nodes.Select(n => n.Address), Is.EqualTo(NodeAddresses));
        Assert.That(capture.Output("Number of nodes:"), Is.EqualTo("3"));

        Assert.That(Controls.ParseGetRunstate(capture.Control(CtdbControl.GetRunstate).Reply), Is.EqualTo(CtdbRunstate.Running));

        var vnn = Controls.ParseGetVnnmap(capture.Control(CtdbControl.Getvnnmap).Reply);
        Assert.That(vnn.Generation, Is.EqualTo(uint.Parse(capture.Output("Generation:"), CultureInfo.InvariantCulture)));
        Assert.That(vnn.Map, Is.EqualTo(new uint[] { 0, 1, 2 }));
        Assert.That(vnn.Generation, Is.Not.EqualTo(CtdbConstants.InvalidGeneration));

        var recmode = capture.Control(CtdbControl.GetRecmode);
        Assert.That(Controls.ParseGetRecmode(recmode.Reply), Is.EqualTo(CtdbRecoveryMode.Normal));
        Assert.That(capture.Output("Recovery mode:"), Is.EqualTo("NORMAL (0)"));

        var ifaces = capture.Controls().Where(c => c.Request.Opcode == CtdbControl.GetIfaces).ToList();
        Assert.That(ifaces.Select(c => c.RequestHeader.DestNode), Is.EqualTo(new uint[] { 0, 1, 2 }));
        Assert.That(ifaces.Select(c => Controls.ParseGetIfaces(c.Reply).Ifaces.Single().Name), Is.All.EqualTo("lo"));

        var leader = capture.Messages(fromClient: false).Single();
        Assert.That(leader.Message.Srvid, Is.EqualTo(CtdbSrvid.Leader));
        Assert.That(Messages.ParseLeader(leader.Message), Is.EqualTo(uint.Parse(capture.Output("Leader:"), CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Status_after_the_leader_stopped_shows_it_disconnected_and_a_two_node_vnn_map()
    {
        var capture = GoldenCapture.Load("status-one-down");

        var nodes = Controls.ParseGetNodemap(capture.Control(CtdbControl.GetNodemap).Reply);
        Assert.That(nodes.Nodes, Has.Length.EqualTo(3));
        Assert.That(nodes.Nodes[0].Flags, Is.EqualTo(NodeFlags.Disconnected | NodeFlags.Unhealthy));
        Assert.That(capture.Output("pnn:0 127.0.0.1"), Is.EqualTo("DISCONNECTED|UNHEALTHY|INACTIVE"));
        Assert.That(nodes.Nodes.Skip(1).Select(n => n.Flags), Is.All.EqualTo((NodeFlags)0));
        Assert.That(nodes.Nodes.Select(n => n.Address), Is.EqualTo(NodeAddresses), "a disconnected node keeps its address");

        var vnn = Controls.ParseGetVnnmap(capture.Control(CtdbControl.Getvnnmap).Reply);
        Assert.That(vnn.Map, Is.EqualTo(new uint[] { 1, 2 }));
        Assert.That(vnn.Generation, Is.EqualTo(uint.Parse(capture.Output("Generation:"), CultureInfo.InvariantCulture)));

        var leader = capture.Messages(fromClient: false).Single().Message;
        Assert.That(Messages.ParseLeader(leader), Is.EqualTo(uint.Parse(capture.Output("Leader:"), CultureInfo.InvariantCulture)).And.Not.Zero);
    }

    [Test]
    public void Capabilities_are_the_default_leader_and_lmaster_bits()
    {
        var capture = GoldenCapture.Load("getcapabilities");
        var caps = Controls.ParseGetCapabilities(capture.Control(CtdbControl.GetCapabilities).Reply);

        Assert.That(caps, Is.EqualTo(CtdbCapabilities.Default));
        Assert.That(capture.ToolOutput, Is.EqualTo(CapabilityLines));
    }

    [Test]
    public void Reclock_file_is_a_NUL_terminated_string()
    {
        var capture = GoldenCapture.Load("getreclock");
        var reply = capture.Control(CtdbControl.GetReclockFile).Reply;

        Assert.That(reply.Data.Span[^1], Is.Zero);
        Assert.That(Controls.ParseGetReclockFile(reply), Is.EqualTo(capture.ToolOutput.Single()).And.EndsWith("/cluster.lock"));
    }

    [Test]
    public void Nodes_file_from_every_node_matches_the_node_map()
    {
        var capture = GoldenCapture.Load("reloadnodes");
        var map = Controls.ParseGetNodemap(capture.Control(CtdbControl.GetNodemap).Reply);
        var files = capture.Controls().Where(c => c.Request.Opcode == CtdbControl.GetNodesFile).ToList();

        Assert.That(files.Select(f => f.RequestHeader.DestNode), Is.EqualTo(new uint[] { 0, 1, 2 }));
        Assert.That(files.Select(f => Controls.ParseGetNodesFile(f.Reply)), Is.All.EqualTo(map));
        Assert.That(capture.ToolOutput.Single(), Does.Contain("No change in nodes file"));
    }

    [Test]
    public void Database_map_lists_the_attached_databases_with_flags()
    {
        var capture = GoldenCapture.Load("getdbmap");
        var dbs = Controls.ParseGetDbmap(capture.Control(CtdbControl.GetDbmap).Reply);

        var printed = capture.ToolOutput.Select(l => DbLine().Match(l)).Where(m => m.Success)
            .Select(m => new DbId(uint.Parse(m.Groups["id"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), m.Groups["persistent"].Success ? CtdbDbFlags.Persistent : 0))
            .ToList();
        Assert.That(capture.Output("Number of databases:"), Is.EqualTo("2"));
        Assert.That(dbs.Databases, Is.EquivalentTo(printed));
        Assert.That(dbs.Databases.Select(d => d.Flags), Is.EquivalentTo(DbFlagsRecorded));
    }

    [TestCase("ip")]
    [TestCase("ip-all")]
    public void Public_ips_and_their_hosting_nodes_match_the_tool_output(string name)
    {
        var capture = GoldenCapture.Load(name);
        var printed = capture.ToolOutput.Select(l => IpLine().Match(l)).Where(m => m.Success)
            .Select(m => new PublicIp(uint.Parse(m.Groups["pnn"].Value, CultureInfo.InvariantCulture), new IPEndPoint(IPAddress.Parse(m.Groups["ip"].Value), 0)))
            .ToList();
        Assert.That(printed, Has.Count.EqualTo(3));

        var replies = capture.Controls().Where(c => c.Request.Opcode == CtdbControl.GetPublicIps).ToList();
        Assert.That(replies, Is.Not.Empty);
        foreach (var exchange in replies)
        {
            Assert.That(exchange.Request.Flags, Is.Zero, "the tool asks for all known addresses");
            Assert.That(Controls.ParseGetPublicIps(exchange.Reply).Ips, Is.EquivalentTo(printed), $"node {exchange.RequestHeader.DestNode}");
        }
    }

    [Test]
    public void Hand_built_public_ip_requests_match_the_factory_and_decode()
    {
        foreach (var (name, availableOnly) in new[] { ("getpublicips-all", false), ("getpublicips-available", true) })
        {
            var exchange = GoldenCapture.Load(name).Control(CtdbControl.GetPublicIps);
            Assert.That(Controls.GetPublicIps(CtdbConstants.CurrentNode, availableOnly).Encode(1), Is.EqualTo(exchange.RequestBytes), name);
            var ips = Controls.ParseGetPublicIps(exchange.Reply).Ips;
            Assert.That(ips.Select(i => i.Address.Address.ToString()), Is.EquivalentTo(PublicAddresses), name);
            Assert.That(ips.Select(i => i.Pnn), Is.All.LessThan(3u), name);
        }
    }

    [Test]
    public void Interfaces_report_name_link_and_references()
    {
        var capture = GoldenCapture.Load("ifaces");
        var iface = Controls.ParseGetIfaces(capture.Control(CtdbControl.GetIfaces).Reply).Ifaces.Single();

        Assert.That(iface, Is.EqualTo(new Iface("lo", 1, 1)));
        Assert.That(capture.Output("name:"), Is.EqualTo("lo link:up references:1"));
    }

    [Test]
    public void Runstate_is_running()
    {
        var capture = GoldenCapture.Load("runstate");
        Assert.That(Controls.ParseGetRunstate(capture.Control(CtdbControl.GetRunstate).Reply), Is.EqualTo(CtdbRunstate.Running));
        Assert.That(capture.ToolOutput.Single(), Is.EqualTo("RUNNING"));
    }

    [Test]
    public void Debug_level_INFO_is_5()
    {
        var capture = GoldenCapture.Load("getdebug");
        Assert.That(Controls.ParseGetDebug(capture.Control(CtdbControl.GetDebug).Reply), Is.EqualTo(5));
        Assert.That(capture.ToolOutput.Single(), Is.EqualTo("INFO"));
    }

    [Test]
    public void All_tunables_are_the_defaults_listvars_printed()
    {
        var tunables = Controls.ParseGetAllTunables(GoldenCapture.Load("getalltunables").Control(CtdbControl.GetAllTunables).Reply);
        var listvars = GoldenCapture.Load("listvars");

        Assert.That(tunables, Is.EqualTo(TunableList.Defaults));
        Assert.That(listvars.Output("RecoverTimeout"), Is.EqualTo($"= {tunables.RecoverTimeout}"));
        Assert.That(listvars.Output("ElectionTimeout"), Is.EqualTo($"= {tunables.ElectionTimeout}"));
        Assert.That(listvars.Output("RecoveryBanPeriod"), Is.EqualTo($"= {tunables.RecoveryBanPeriod}"));
        Assert.That(listvars.Output("RecdFailCount"), Is.EqualTo($"= {tunables.RecdPingFailcount}"));
        Assert.That(listvars.Output("MaxQueueDropMsg"), Is.EqualTo($"= {tunables.MaxQueueDepthDropMsg}"));
        Assert.That(listvars.Output("AllowMixedVersions"), Is.EqualTo($"= {tunables.AllowMixedVersions}"));
    }

    [TestCase("ban", 3u)]
    [TestCase("unban", 0u)]
    public void Ban_and_unban_send_the_ban_state_to_the_banned_node(string name, uint time)
    {
        var exchange = GoldenCapture.Load(name).Control(CtdbControl.SetBanState);

        Assert.That(exchange.RequestHeader.DestNode, Is.EqualTo(2));
        Assert.That(Controls.ReadSetBanStateRequest(exchange.Request), Is.EqualTo(new BanState(2, time)));
        Assert.That(Controls.SetBanState(2, new BanState(2, time)).Encode(exchange.RequestHeader.ReqId, exchange.RequestHeader.SrcNode), Is.EqualTo(exchange.RequestBytes));
        Controls.ParseSetBanState(exchange.Reply);
    }

    public static IEnumerable<TestCaseData> HandBuilt()
    {
        yield return Built("getrecmode", Controls.GetRecmode(CtdbConstants.CurrentNode), r => Controls.ParseGetRecmode(r), CtdbRecoveryMode.Normal);
        yield return Built("setrecmode-normal", Controls.SetRecmode(CtdbConstants.CurrentNode, CtdbRecoveryMode.Normal), Status(Controls.ParseSetRecmode), 0);
        yield return Built("getalltunables", Controls.GetAllTunables(CtdbConstants.CurrentNode), Controls.ParseGetAllTunables, TunableList.Defaults);
        yield return Built("recdping", Controls.RecdPing(CtdbConstants.CurrentNode), Status(Controls.ParseRecdPing), 0);
        yield return Built("reclocklatency", Controls.RecdReclockLatency(CtdbConstants.CurrentNode, 0.0125), Status(Controls.ParseRecdReclockLatency), 0);
        yield return Built("modifyflags", Controls.ModifyFlags(CtdbConstants.CurrentNode, new NodeFlagChange(0, 0, NodeFlags.Unhealthy)), Status(Controls.ParseModifyFlags), 0);
        yield return Built("getnodemap", Controls.GetNodemap(CtdbConstants.CurrentNode), r => Controls.ParseGetNodemap(r).Nodes.Length, 3);
        yield return Built("getnodesfile", Controls.GetNodesFile(CtdbConstants.CurrentNode), r => Controls.ParseGetNodesFile(r).Nodes.Length, 3);
    }

    [TestCaseSource(nameof(HandBuilt))]
    public void Factories_encode_the_recorded_request_bytes_and_parse_the_reply(string name, ControlRequest request, Func<ControlReply, object> parse, object expected)
    {
        var exchange = GoldenCapture.Load(name).Controls().Single();

        Assert.That(Convert.ToHexStringLower(request.Encode(1)), Is.EqualTo(Convert.ToHexStringLower(exchange.RequestBytes)));
        Assert.That(parse(exchange.Reply), Is.EqualTo(expected));
    }

    [Test]
    public void Register_and_deregister_carry_the_srvid_in_the_control_header()
    {
        var controls = GoldenCapture.Load("srvid-register-deregister").Controls();

        Assert.That(Controls.RegisterSrvid(CtdbSrvid.Leader).Encode(1), Is.EqualTo(controls[0].RequestBytes));
        Assert.That(Controls.DeregisterSrvid(CtdbSrvid.Leader).Encode(2), Is.EqualTo(controls[1].RequestBytes));
        Controls.ParseRegisterSrvid(controls[0].Reply);
        Controls.ParseDeregisterSrvid(controls[1].Reply);
    }

    [Test]
    public void Recorded_request_payloads_decode()
    {
        Assert.That(Controls.ReadModifyFlagsRequest(GoldenCapture.Load("modifyflags").Controls().Single().Request), Is.EqualTo(new NodeFlagChange(0, 0, NodeFlags.Unhealthy)));
        Assert.That(Controls.ReadRecdReclockLatencyRequest(GoldenCapture.Load("reclocklatency").Controls().Single().Request), Is.EqualTo(0.0125));
        Assert.That(Controls.ReadSetRecmodeRequest(GoldenCapture.Load("setrecmode-normal").Controls().Single().Request), Is.EqualTo(CtdbRecoveryMode.Normal));
    }

    [TestCase("error-disconnected", 99u)]
    [TestCase("error-to-stopped-node", 0u)]
    public void Controls_to_unreachable_nodes_fail_with_error_text(string name, uint dest)
    {
        var exchange = GoldenCapture.Load(name).Controls().Single();
        Assert.That(Controls.GetPnn(dest).Encode(1), Is.EqualTo(exchange.RequestBytes));

        Assert.That(exchange.Reply.Status, Is.EqualTo(-1));
        Assert.That(exchange.Reply.ErrorMessage, Is.EqualTo("ctdb_control to disconnected node"));
        Assert.That(exchange.Reply.Data.Length, Is.Zero);

        var ex = Assert.Throws<CtdbControlException>(() => Controls.ParseGetPnn(exchange.Reply));
        Assert.That(ex!.Opcode, Is.EqualTo(CtdbControl.GetPnn));
        Assert.That(ex.Status, Is.EqualTo(-1));
        Assert.That(ex.ErrorMessage, Is.EqualTo("ctdb_control to disconnected node"));
    }

    [Test]
    public void Replies_carry_ctdbds_generation_and_pnn_and_echo_the_reqid()
    {
        var capture = GoldenCapture.Load("status");
        var vnn = Controls.ParseGetVnnmap(capture.Control(CtdbControl.Getvnnmap).Reply);
        foreach (var exchange in capture.Controls())
        {
            Assert.That(exchange.ReplyHeader.ReqId, Is.EqualTo(exchange.RequestHeader.ReqId));
            Assert.That(exchange.ReplyHeader.Generation, Is.EqualTo(vnn.Generation));
            Assert.That(exchange.ReplyHeader.SrcNode, Is.Zero);
        }
    }

    private static TestCaseData Built(string name, ControlRequest request, Func<ControlReply, object> parse, object expected) =>
        new TestCaseData(name, request, parse, expected).SetArgDisplayNames(name);

    private static Func<ControlReply, object> Status(Action<ControlReply> parse) => r =>
    {
        parse(r);
        return r.Status;
    };

    [GeneratedRegex(@"^dbid:0x(?<id>[0-9a-f]{8}) .*?(?<persistent>PERSISTENT)?$")]
    private static partial Regex DbLine();

    [GeneratedRegex(@"^(?<ip>127\.0\.100\.\d+) (?<pnn>\d+)$")]
    private static partial Regex IpLine();
}
