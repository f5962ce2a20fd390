using System.Reflection;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>Like Samba's protocol tests: every generated opcode and srvid survives a packet round trip.</summary>
public class EveryOpcodeAndSrvidTests
{
    public static IEnumerable<CtdbControl> Opcodes() => Enum.GetValues<CtdbControl>();

    public static IEnumerable<TestCaseData> Srvids() =>
        typeof(CtdbSrvid).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(ulong))
            .Select(f => new TestCaseData((ulong)f.GetRawConstantValue()!).SetArgDisplayNames(f.Name));

    [TestCaseSource(nameof(Opcodes))]
    public void Every_opcode_round_trips_in_a_request(CtdbControl opcode)
    {
        var rng = new Random((int)opcode);
        var request = new ControlRequest(opcode, Gen.UInt32(rng), Gen.UInt64(rng), 0, Gen.UInt32(rng), Gen.Bytes(rng, 64));

        var packet = request.Encode((uint)opcode + 1);
        var (header, decoded) = ControlRequest.Decode(packet);

        Assert.That(decoded, Is.EqualTo(request));
        Assert.That(header.ReqId, Is.EqualTo((uint)opcode + 1));
        Assert.That(decoded.Opcode, Is.EqualTo(opcode));
    }

    [TestCaseSource(nameof(Srvids))]
    public void Every_srvid_round_trips_in_a_message(ulong srvid)
    {
        var rng = new Random(unchecked((int)(srvid >> 32)));
        var message = new MessagePacket(srvid, Gen.Bytes(rng, 64));

        var (header, decoded) = MessagePacket.Decode(message.Encode(CtdbConstants.BroadcastAll, 0, 3));

        Assert.That(decoded, Is.EqualTo(message));
        Assert.That(header.DestNode, Is.EqualTo(CtdbConstants.BroadcastAll));
        Assert.That(header.SrcNode, Is.EqualTo(3));
    }

    [Test]
    public void The_generated_lists_are_not_empty()
    {
        Assert.That(Opcodes().Count(), Is.GreaterThan(100));
        Assert.That(Srvids().Count(), Is.GreaterThan(20));
    }
}
