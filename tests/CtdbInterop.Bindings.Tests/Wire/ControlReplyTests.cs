using System.Buffers.Binary;
using System.Text;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

[Description("recoverd-behaviours §4.1, §7 mistake 2")]
public class ControlReplyTests
{
    private static readonly PacketHeader Header = new(0, CtdbConstants.Magic, CtdbConstants.Protocol, 5, CtdbOperation.ReplyControl, 0, 1, 42);

    [Test]
    public void Error_text_follows_the_data_without_a_NUL()
    {
        var packet = new ControlReply(-1, new byte[] { 1, 2 }, "no").Encode(Header);

        Assert.That(Convert.ToHexStringLower(packet.AsSpan(32)), Is.EqualTo("ffffffff" + "02000000" + "02000000" + "0102" + "6e6f"));
    }

    [Test]
    public void Error_text_is_cut_at_a_NUL_if_one_is_sent()
    {
        var packet = ReplyWithError(Encoding.ASCII.GetBytes("bad\0junk"));

        Assert.That(ControlReply.Decode(packet).Reply.ErrorMessage, Is.EqualTo("bad"));
    }

    [Test]
    public void Error_text_with_status_0_is_still_a_failure()
    {
        var reply = ControlReply.Decode(new ControlReply(0, ReadOnlyMemory<byte>.Empty, "late").Encode(Header)).Reply;

        Assert.That(reply.IsSuccess, Is.False);
        Assert.That(reply.ErrorMessage, Is.EqualTo("late"));
    }

    [Test]
    public void Empty_error_text_is_sent_as_one_NUL_and_stays_a_failure()
    {
        // Fuzzing found errorlen 4 with text starting at a NUL: it decoded as "" (a failure) but
        // re-encoded with errorlen 0 (a success).
        var decoded = ControlReply.Decode(ReplyWithError([0, 0x7A, 0xFF, 0xFF])).Reply;
        var packet = decoded.Encode(Header);
        var again = ControlReply.Decode(packet).Reply;

        Assert.That(decoded.ErrorMessage, Is.Empty);
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(packet.AsSpan(40)), Is.EqualTo(1));
        Assert.That(again, Is.EqualTo(decoded));
        Assert.That(again.IsSuccess, Is.False);
    }

    [Test]
    public void No_error_text_decodes_as_null()
    {
        var reply = ControlReply.Decode(new ControlReply(3, new byte[] { 9 }, null).Encode(Header)).Reply;

        Assert.That(reply.ErrorMessage, Is.Null);
        Assert.That(reply.Status, Is.EqualTo(3));
    }

    [TestCase(0xFFFFFFFFu, 0xFFFFFFFFu)]
    [TestCase(0u, 0xFFFFFFFFu)]
    [TestCase(0x80000000u, 0x80000000u)]
    [TestCase(4u, 1u)]
    public void Data_and_error_lengths_together_must_fit(uint dataLength, uint errorLength)
    {
        var packet = new ControlReply(-1, new byte[] { 1, 2, 3 }, "x").Encode(Header);
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(36), dataLength);
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(40), errorLength);

        Assert.That(() => ControlReply.Decode(packet), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("errorlen"));
    }

    [Test]
    public void Encoding_sets_the_reply_operation_and_length()
    {
        var packet = new ControlReply(0, new byte[] { 1 }, null).Encode(Header with { Operation = CtdbOperation.ReqControl, Length = 999 });
        var header = PacketFraming.ReadHeader(packet);

        Assert.That(header.Operation, Is.EqualTo(CtdbOperation.ReplyControl));
        Assert.That(header.Length, Is.EqualTo(48));
        Assert.That(header.ReqId, Is.EqualTo(42));
    }

    [Test]
    public void Equality_compares_payload_bytes()
    {
        var reply = new ControlReply(0, new byte[] { 1, 2 }, null);
        var sameBytes = new ControlReply(0, new byte[] { 1, 2 }, null);

        Assert.That(reply, Is.EqualTo(sameBytes));
        Assert.That(reply, Is.Not.EqualTo(reply with { Data = new byte[] { 1, 3 } }));
        Assert.That(reply, Is.Not.EqualTo(reply with { ErrorMessage = "a" }));
    }

    private static byte[] ReplyWithError(byte[] error)
    {
        var content = ControlReply.FixedSize + error.Length;
        var packet = new byte[PacketFraming.PaddedLength(content)];
        Header.Push(packet);
        BinaryPrimitives.WriteUInt32LittleEndian(packet, (uint)packet.Length);
        BinaryPrimitives.WriteInt32LittleEndian(packet.AsSpan(32), -1);
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(40), (uint)error.Length);
        error.CopyTo(packet, 44);
        return packet;
    }
}
