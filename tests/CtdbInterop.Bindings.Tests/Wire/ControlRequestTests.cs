using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

[Description("recoverd-behaviours §4.1")]
public class ControlRequestTests
{
    [Test]
    public void Encodes_the_C_layout_with_payload_at_60()
    {
        var request = new ControlRequest(CtdbControl.SetBanState, 2, 0x1122334455667788, 0, (uint)CtdbControlFlags.Noreply, new byte[] { 0xAA, 0xBB });

        var packet = request.Encode(0x7FFFFF3B, 0);

        Assert.That(Convert.ToHexStringLower(packet), Is.EqualTo(
            "40000000" + "42445443" + "01000000" + "00000000" + "07000000" + "02000000" + "00000000" + "3bffff7f"
            + "6d000000" + "00000000" + "8877665544332211" + "00000000" + "01000000" + "02000000" + "aabb" + "0000"));
    }

    [Test]
    [Description("issue 7: a round's packets are encoded back to back into one buffer and written at once")]
    public void Encoding_into_a_shared_buffer_gives_the_same_packets_and_clears_stale_padding()
    {
        var first = new ControlRequest(CtdbControl.SetBanState, 2, 0x1122334455667788, 0, (uint)CtdbControlFlags.Noreply, new byte[] { 0xAA, 0xBB });
        var second = Controls.GetDebug(CtdbConstants.CurrentNode);
        var batch = new byte[first.EncodedLength + second.EncodedLength];
        batch.AsSpan().Fill(0xEE); // a reused buffer: the padding must not keep what was there

        first.EncodeInto(batch.AsSpan(0, first.EncodedLength), 0x7FFFFF3B, 0);
        second.EncodeInto(batch.AsSpan(first.EncodedLength), 8);

        Assert.Multiple(() =>
        {
            Assert.That(batch[..first.EncodedLength], Is.EqualTo(first.Encode(0x7FFFFF3B, 0)));
            Assert.That(batch[first.EncodedLength..], Is.EqualTo(second.Encode(8)));
            Assert.That(() => first.EncodeInto(new byte[first.EncodedLength + 8], 1), Throws.ArgumentException, "the span must be the packet exactly");
        });
    }

    [Test]
    public void Default_encoding_uses_unknown_pnn_and_generation_0_like_a_fresh_client()
    {
        var header = PacketFraming.ReadHeader(Controls.GetPnn(CtdbConstants.CurrentNode).Encode(7));

        Assert.That(header.SrcNode, Is.EqualTo(CtdbConstants.UnknownPnn));
        Assert.That(header.Generation, Is.Zero);
        Assert.That(header.DestNode, Is.EqualTo(CtdbConstants.CurrentNode));
        Assert.That(header.ReqId, Is.EqualTo(7));
    }

    [Test]
    public void Decode_returns_every_field()
    {
        var request = new ControlRequest(CtdbControl.RegisterSrvid, CtdbConstants.CurrentNode, CtdbSrvid.Leader, 17, 0x10000, new byte[] { 1, 2, 3 });

        var (header, decoded) = ControlRequest.Decode(request.Encode(5, 1, 9));

        Assert.That(decoded, Is.EqualTo(request));
        Assert.That(header, Is.EqualTo(new PacketHeader(64, CtdbConstants.Magic, CtdbConstants.Protocol, 9, CtdbOperation.ReqControl, CtdbConstants.CurrentNode, 1, 5)));
    }
}
