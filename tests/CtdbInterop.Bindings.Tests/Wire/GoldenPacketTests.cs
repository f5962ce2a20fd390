using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>Every packet recorded from the real ctdbd decodes and re-encodes to identical bytes.</summary>
[Description("GoldenData/README.md")]
public class GoldenPacketTests
{
    private static readonly string[] Expected =
    [
        "ban", "election", "error-disconnected", "error-to-stopped-node", "getalltunables", "getcapabilities", "getdbmap",
        "getdebug", "getnodemap", "getnodesfile", "getpid", "getpublicips-all", "getpublicips-available", "getreclock",
        "getrecmode", "ifaces", "ip", "ip-all", "ipreallocate", "leader", "leader-broadcast", "listvars", "modifyflags",
        "nodestatus", "pnn", "recdping", "reclocklatency", "reloadnodes", "runstate", "setrecmode-normal",
        "srvid-register-deregister", "status", "status-one-down", "unban",
    ];

    public static IEnumerable<string> Captures() => GoldenCapture.AllNames();

    [Test]
    public void All_recordings_are_present() => Assert.That(GoldenCapture.AllNames(), Is.EquivalentTo(Expected));

    [TestCaseSource(nameof(Captures))]
    public void Every_packet_decodes_and_re_encodes_to_the_recorded_bytes(string name)
    {
        var capture = GoldenCapture.Load(name);
        Assert.That(capture.Packets, Is.Not.Empty);
        foreach (var packet in capture.Packets)
        {
            var tag = $"{name}.capture line {packet.Line}";
            Assert.That(packet.Bytes.Length % 8, Is.Zero, $"{tag}: padded");
            var header = PacketFraming.ReadHeader(packet.Bytes);
            Assert.That(header.Length, Is.EqualTo(packet.Bytes.Length), tag);

            byte[] reencoded = header.Operation switch
            {
                CtdbOperation.ReqControl => ReencodeRequest(packet.Bytes),
                CtdbOperation.ReplyControl => ReencodeReply(packet.Bytes),
                CtdbOperation.ReqMessage => ReencodeMessage(packet.Bytes),
                _ => throw new AssertionException($"{tag}: unexpected operation {header.Operation}"),
            };
            Assert.That(Convert.ToHexStringLower(reencoded), Is.EqualTo(Convert.ToHexStringLower(packet.Bytes)), tag);
        }
    }

    [TestCaseSource(nameof(Captures))]
    public void Directions_carry_the_expected_operations(string name)
    {
        foreach (var packet in GoldenCapture.Load(name).Packets)
        {
            var operation = packet.Header.Operation;
            Assert.That(
                operation,
                packet.FromClient ? Is.AnyOf(CtdbOperation.ReqControl, CtdbOperation.ReqMessage) : Is.AnyOf(CtdbOperation.ReplyControl, CtdbOperation.ReqMessage),
                $"{name} line {packet.Line}");
        }
    }

    [TestCaseSource(nameof(Captures))]
    public void Every_control_has_exactly_one_reply_with_its_reqid(string name)
    {
        var capture = GoldenCapture.Load(name);
        var requests = capture.Packets.Where(p => p.FromClient && p.Header.Operation == CtdbOperation.ReqControl).ToList();
        var replies = capture.Packets.Where(p => !p.FromClient && p.Header.Operation == CtdbOperation.ReplyControl).ToList();

        Assert.That(replies.Select(r => r.Header.ReqId), Is.EquivalentTo(requests.Select(r => r.Header.ReqId)));
        Assert.That(capture.Controls(), Has.Count.EqualTo(requests.Count));
    }

    private static byte[] ReencodeRequest(byte[] bytes)
    {
        var (header, request) = ControlRequest.Decode(bytes);
        return request.Encode(header.ReqId, header.SrcNode, header.Generation);
    }

    private static byte[] ReencodeReply(byte[] bytes)
    {
        var (header, reply) = ControlReply.Decode(bytes);
        return reply.Encode(header);
    }

    private static byte[] ReencodeMessage(byte[] bytes)
    {
        var (header, message) = MessagePacket.Decode(bytes);
        return message.Encode(header.DestNode, header.ReqId, header.SrcNode, header.Generation);
    }
}
