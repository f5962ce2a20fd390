using System.Collections.Immutable;
using System.Net;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

[Description("recoverd-behaviours §4.3, §7 mistake 2")]
public class ControlsTests
{
    private static readonly NodeMap ThreeNodes = new(
    [
        new NodeAndFlags(0, 0, new IPEndPoint(IPAddress.Parse("127.0.0.1"), CtdbConstants.Port)),
        new NodeAndFlags(1, NodeFlags.Disconnected, new IPEndPoint(IPAddress.Parse("127.0.0.2"), CtdbConstants.Port)),
        new NodeAndFlags(2, NodeFlags.Banned, new IPEndPoint(IPAddress.Parse("127.0.0.3"), CtdbConstants.Port)),
    ]);

    public static IEnumerable<TestCaseData> Requests()
    {
        yield return Req(Controls.GetPid(0), CtdbControl.GetPid, 0);
        yield return Req(Controls.GetPnn(CtdbConstants.CurrentNode), CtdbControl.GetPnn, CtdbConstants.CurrentNode);
        yield return Req(Controls.GetRunstate(1), CtdbControl.GetRunstate, 1);
        yield return Req(Controls.GetDebug(1), CtdbControl.GetDebug, 1);
        yield return Req(Controls.GetCapabilities(2), CtdbControl.GetCapabilities, 2);
        yield return Req(Controls.GetAllTunables(0), CtdbControl.GetAllTunables, 0);
        yield return Req(Controls.GetReclockFile(0), CtdbControl.GetReclockFile, 0);
        yield return Req(Controls.Uptime(0), CtdbControl.Uptime, 0);
        yield return Req(Controls.ProcessExists(0, 1234), CtdbControl.ProcessExists, 0, data: "d2040000");
        yield return Req(Controls.GetNodemap(2), CtdbControl.GetNodemap, 2);
        yield return Req(Controls.GetNodesFile(2), CtdbControl.GetNodesFile, 2);
        yield return Req(Controls.GetVnnmap(1), CtdbControl.Getvnnmap, 1);
        yield return Req(Controls.GetDbmap(0), CtdbControl.GetDbmap, 0);
        yield return Req(Controls.GetPublicIps(0, availableOnly: true), CtdbControl.GetPublicIps, 0, flags: 0x10000);
        yield return Req(Controls.GetPublicIps(0, availableOnly: false), CtdbControl.GetPublicIps, 0);
        yield return Req(Controls.GetIfaces(0), CtdbControl.GetIfaces, 0);
        yield return Req(Controls.ModifyFlags(1, new NodeFlagChange(2, NodeFlags.Banned, 0)), CtdbControl.ModifyFlags, 1, data: "020000000800000000000000");
        yield return Req(Controls.SetBanState(2, new BanState(2, 300)), CtdbControl.SetBanState, 2, data: "020000002c010000");
        yield return Req(Controls.GetRecmode(1), CtdbControl.GetRecmode, 1);
        yield return Req(Controls.SetRecmode(1, CtdbRecoveryMode.Active), CtdbControl.SetRecmode, 1, data: "01000000");
        yield return Req(Controls.Freeze(1), CtdbControl.Freeze, 1);
        yield return Req(Controls.RecdPing(CtdbConstants.CurrentNode), CtdbControl.RecdPing, CtdbConstants.CurrentNode);
        yield return Req(Controls.RecdReclockLatency(0, 0.0125), CtdbControl.RecdReclockLatency, 0, data: "9a9999999999893f");
        yield return Req(Controls.RegisterSrvid(CtdbSrvid.Leader), CtdbControl.RegisterSrvid, CtdbConstants.CurrentNode, srvid: CtdbSrvid.Leader);
        yield return Req(Controls.DeregisterSrvid(CtdbSrvid.Election, 0), CtdbControl.DeregisterSrvid, 0, srvid: CtdbSrvid.Election);
    }

    [TestCaseSource(nameof(Requests))]
    public void Request_factories_fill_opcode_target_flags_srvid_and_payload(ControlRequest request, CtdbControl opcode, uint dest, uint flags, ulong srvid, string dataHex)
    {
        Assert.That(request.Opcode, Is.EqualTo(opcode));
        Assert.That(request.DestNode, Is.EqualTo(dest));
        Assert.That(request.Flags, Is.EqualTo(flags));
        Assert.That(request.Srvid, Is.EqualTo(srvid));
        Assert.That(request.ClientId, Is.Zero);
        Assert.That(Convert.ToHexStringLower(request.Data.Span), Is.EqualTo(dataHex));
        Assert.That(ControlRequest.Decode(request.Encode(3)).Request, Is.EqualTo(request));
    }

    public static IEnumerable<TestCaseData> Parsers()
    {
        yield return Parse("GetPid", CtdbControl.GetPid, r => Controls.ParseGetPid(r), Status(4321), 4321);
        yield return Parse("GetPnn", CtdbControl.GetPnn, r => Controls.ParseGetPnn(r), Status(2), 2u);
        yield return Parse("GetRecmode", CtdbControl.GetRecmode, r => Controls.ParseGetRecmode(r), Status(1), CtdbRecoveryMode.Active);
        yield return Parse("GetRunstate", CtdbControl.GetRunstate, r => Controls.ParseGetRunstate(r), Data("05000000"), CtdbRunstate.Running, exactSize: true);
        yield return Parse("GetDebug", CtdbControl.GetDebug, r => Controls.ParseGetDebug(r), Data("05000000"), 5, exactSize: true);
        yield return Parse("GetCapabilities", CtdbControl.GetCapabilities, r => Controls.ParseGetCapabilities(r), Data("03000300"), CtdbCapabilities.Default, exactSize: true);
        yield return Parse("GetAllTunables", CtdbControl.GetAllTunables, Controls.ParseGetAllTunables, Data(WireType.Encode(TunableList.Defaults)), TunableList.Defaults, exactSize: true);
        yield return Parse("GetReclockFile", CtdbControl.GetReclockFile, Controls.ParseGetReclockFile, Data("2f782f6c6f636b00"), "/x/lock");
        yield return Parse("GetReclockFile (none)", CtdbControl.GetReclockFile, Controls.ParseGetReclockFile, Data(""), null);
        var uptime = new Uptime(new TimeVal(10, 1), new TimeVal(5, 2), new TimeVal(6, 3), new TimeVal(7, 4));
        yield return Parse("Uptime", CtdbControl.Uptime, r => Controls.ParseUptime(r), Data(WireType.Encode(uptime)), uptime, exactSize: true);
        yield return Parse("GetNodemap", CtdbControl.GetNodemap, Controls.ParseGetNodemap, Data(WireType.Encode(ThreeNodes)), ThreeNodes, exactSize: true);
        yield return Parse("GetNodesFile", CtdbControl.GetNodesFile, Controls.ParseGetNodesFile, Data(WireType.Encode(ThreeNodes)), ThreeNodes, exactSize: true);
        var vnn = new VnnMap(99, [0, 2]);
        yield return Parse("GetVnnmap", CtdbControl.Getvnnmap, Controls.ParseGetVnnmap, Data(WireType.Encode(vnn)), vnn, exactSize: true);
        var dbs = new DbIdMap([new DbId(1, CtdbDbFlags.Persistent | CtdbDbFlags.Replicated)]);
        yield return Parse("GetDbmap", CtdbControl.GetDbmap, Controls.ParseGetDbmap, Data(WireType.Encode(dbs)), dbs, exactSize: true);
        var ips = new PublicIpList([new PublicIp(1, new IPEndPoint(IPAddress.Parse("127.0.100.1"), 0))]);
        yield return Parse("GetPublicIps", CtdbControl.GetPublicIps, Controls.ParseGetPublicIps, Data(WireType.Encode(ips)), ips, exactSize: true);
        var ifaces = new IfaceList([new Iface("eth0", 1, 3)]);
        yield return Parse("GetIfaces", CtdbControl.GetIfaces, Controls.ParseGetIfaces, Data(WireType.Encode(ifaces)), ifaces, exactSize: true);
        yield return Parse("SetRecmode", CtdbControl.SetRecmode, Void(Controls.ParseSetRecmode), Status(0), null);
        yield return Parse("Freeze", CtdbControl.Freeze, Void(Controls.ParseFreeze), Status(0), null);
        yield return Parse("ModifyFlags", CtdbControl.ModifyFlags, Void(Controls.ParseModifyFlags), Status(0), null);
        yield return Parse("SetBanState", CtdbControl.SetBanState, Void(Controls.ParseSetBanState), Status(0), null);
        yield return Parse("RecdPing", CtdbControl.RecdPing, Void(Controls.ParseRecdPing), Status(0), null);
        yield return Parse("RecdReclockLatency", CtdbControl.RecdReclockLatency, Void(Controls.ParseRecdReclockLatency), Status(0), null);
        yield return Parse("RegisterSrvid", CtdbControl.RegisterSrvid, Void(Controls.ParseRegisterSrvid), Status(0), null);
        yield return Parse("DeregisterSrvid", CtdbControl.DeregisterSrvid, Void(Controls.ParseDeregisterSrvid), Status(0), null);
    }

    [TestCaseSource(nameof(Parsers))]
    public void Parsers_return_the_typed_result(ParserCase parser) =>
        Assert.That(parser.Parse(parser.Good), Is.EqualTo(parser.Expected));

    [TestCaseSource(nameof(Parsers))]
    public void Parsers_turn_error_text_into_a_control_exception(ParserCase parser)
    {
        var ex = Assert.Throws<CtdbControlException>(() => parser.Parse(new ControlReply(-1, ReadOnlyMemory<byte>.Empty, "ctdb_control to disconnected node")));
        Assert.That(ex!.Opcode, Is.EqualTo(parser.Opcode));
        Assert.That(ex.Status, Is.EqualTo(-1));
        Assert.That(ex.ErrorMessage, Is.EqualTo("ctdb_control to disconnected node"));
        Assert.That(ex.Message, Does.Contain(parser.Opcode.ToString()).And.Contain("disconnected node"));
    }

    [TestCaseSource(nameof(Parsers))]
    public void Parsers_treat_error_text_with_status_0_as_failure_with_status_minus_1(ParserCase parser)
    {
        var ex = Assert.Throws<CtdbControlException>(() => parser.Parse(parser.Good with { Status = 0, ErrorMessage = "oops" }));
        Assert.That(ex!.Status, Is.EqualTo(-1));
        Assert.That(ex.ErrorMessage, Is.EqualTo("oops"));
    }

    [TestCaseSource(nameof(Parsers))]
    public void Parsers_treat_a_negative_status_as_failure(ParserCase parser)
    {
        var ex = Assert.Throws<CtdbControlException>(() => parser.Parse(parser.Good with { Status = -22 }));
        Assert.That(ex!.Status, Is.EqualTo(-22));
        Assert.That(ex.ErrorMessage, Is.Null);
    }

    [TestCaseSource(nameof(Parsers))]
    public void Payload_parsers_reject_wrong_sizes(ParserCase parser)
    {
        if (!parser.ExactSize)
        {
            Assert.That(parser.Good.Data.Length, Is.LessThanOrEqualTo(8), "only small or status-only replies skip the size check");
            return;
        }

        var data = parser.Good.Data.ToArray();
        Assert.That(() => parser.Parse(parser.Good with { Data = data.Concat(new byte[] { 0 }).ToArray() }), Throws.TypeOf<CtdbProtocolException>(), "trailing byte");
        for (var length = 0; length < data.Length; length++)
        {
            var cut = data[..length];
            Assert.That(() => parser.Parse(parser.Good with { Data = cut }), Throws.TypeOf<CtdbProtocolException>(), $"cut at {length}");
        }
    }

    [Test]
    public void A_positive_status_fails_controls_that_return_data()
    {
        var ex = Assert.Throws<CtdbControlException>(() => Controls.ParseGetNodemap(new ControlReply(1, ReadOnlyMemory<byte>.Empty, null)));
        Assert.That(ex!.Status, Is.EqualTo(1));
        Assert.That(ex.Opcode, Is.EqualTo(CtdbControl.GetNodemap));
    }

    [Test]
    public void An_empty_node_map_reply_is_a_protocol_error()
    {
        Assert.That(() => Controls.ParseGetNodemap(new ControlReply(0, ReadOnlyMemory<byte>.Empty, null)), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("node map"));
    }

    [TestCase(2)]
    [TestCase(int.MaxValue)]
    public void Unknown_recovery_modes_are_protocol_errors(int status) =>
        Assert.That(() => Controls.ParseGetRecmode(new ControlReply(status, ReadOnlyMemory<byte>.Empty, null)), Throws.TypeOf<CtdbProtocolException>());

    [Test]
    public void Process_exists_reads_the_status_as_a_boolean()
    {
        Assert.That(Controls.ParseProcessExists(new ControlReply(0, ReadOnlyMemory<byte>.Empty, null)), Is.True);
        Assert.That(Controls.ParseProcessExists(new ControlReply(-1, ReadOnlyMemory<byte>.Empty, null)), Is.False);
        Assert.That(() => Controls.ParseProcessExists(new ControlReply(-1, ReadOnlyMemory<byte>.Empty, "x")), Throws.TypeOf<CtdbControlException>());
    }

    [Test]
    public void Request_payloads_decode_for_a_fake_ctdbd()
    {
        Assert.That(Controls.ReadModifyFlagsRequest(Controls.ModifyFlags(0, new NodeFlagChange(1, NodeFlags.Stopped, NodeFlags.Banned))), Is.EqualTo(new NodeFlagChange(1, NodeFlags.Stopped, NodeFlags.Banned)));
        Assert.That(Controls.ReadSetBanStateRequest(Controls.SetBanState(2, new BanState(2, 0))), Is.EqualTo(new BanState(2, 0)));
        Assert.That(Controls.ReadSetRecmodeRequest(Controls.SetRecmode(0, CtdbRecoveryMode.Normal)), Is.EqualTo(CtdbRecoveryMode.Normal));
        Assert.That(Controls.ReadRecdReclockLatencyRequest(Controls.RecdReclockLatency(0, 1.5)), Is.EqualTo(1.5));
    }

    [Test]
    public void Request_payload_readers_check_opcode_and_size()
    {
        Assert.That(() => Controls.ReadModifyFlagsRequest(Controls.GetPnn(0)), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("ModifyFlags"));
        var shortBan = Controls.SetBanState(2, new BanState(2, 1)) with { Data = new byte[7] };
        Assert.That(() => Controls.ReadSetBanStateRequest(shortBan), Throws.TypeOf<CtdbProtocolException>());
        var longRecmode = Controls.SetRecmode(0, CtdbRecoveryMode.Active) with { Data = new byte[5] };
        Assert.That(() => Controls.ReadSetRecmodeRequest(longRecmode), Throws.TypeOf<CtdbProtocolException>());
    }

    private static TestCaseData Req(ControlRequest request, CtdbControl opcode, uint dest, uint flags = 0, ulong srvid = 0, string data = "") =>
        new TestCaseData(request, opcode, dest, flags, srvid, data).SetArgDisplayNames(opcode.ToString(), $"flags 0x{flags:x}");

    private static TestCaseData Parse(string name, CtdbControl opcode, Func<ControlReply, object?> parse, ControlReply good, object? expected, bool exactSize = false) =>
        new TestCaseData(new ParserCase(name, opcode, parse, good, expected, exactSize)).SetArgDisplayNames(name);

    private static Func<ControlReply, object?> Void(Action<ControlReply> parse) => r =>
    {
        parse(r);
        return null;
    };

    private static ControlReply Status(int status) => new(status, ReadOnlyMemory<byte>.Empty, null);

    private static ControlReply Data(string hex) => new(0, Convert.FromHexString(hex), null);

    private static ControlReply Data(byte[] bytes) => new(0, bytes, null);
}

/// <summary>A typed reply parser with a good reply and its expected result.</summary>
public sealed record ParserCase(string Name, CtdbControl Opcode, Func<ControlReply, object?> Parse, ControlReply Good, object? Expected, bool ExactSize)
{
    public override string ToString() => Name;
}
