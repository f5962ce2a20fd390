using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

[Description("recoverd-behaviours §4.1, §5")]
public class MessagePacketTests
{
    [Test]
    public void Encodes_the_C_layout_with_payload_at_44()
    {
        var packet = Messages.Leader(1).Encode(CtdbConstants.BroadcastConnected, 0, 1);

        Assert.That(Convert.ToHexStringLower(packet), Is.EqualTo(
            "30000000" + "42445443" + "01000000" + "00000000" + "05000000" + "040000f0" + "01000000" + "00000000"
            + "000000000000" + "01f1" + "04000000" + "01000000"));
    }

    [Test]
    public void Decode_returns_srvid_data_and_header()
    {
        var message = new MessagePacket(0xCE00000100000001, new byte[] { 5, 6, 7 });

        var (header, decoded) = MessagePacket.Decode(message.Encode(3, 11));

        Assert.That(decoded, Is.EqualTo(message));
        Assert.That(header.DestNode, Is.EqualTo(3));
        Assert.That(header.ReqId, Is.EqualTo(11));
        Assert.That(header.SrcNode, Is.EqualTo(CtdbConstants.UnknownPnn));
        Assert.That(header.Length, Is.EqualTo(48));
    }

    [Test]
    public void Empty_payload_is_allowed()
    {
        var packet = Messages.Reconfigure().Encode(CtdbConstants.BroadcastConnected, 0);

        Assert.That(packet, Has.Length.EqualTo(48));
        Assert.That(MessagePacket.Decode(packet).Message.Data.Length, Is.Zero);
    }
}
