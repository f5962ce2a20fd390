using System.Buffers.Binary;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

[Description("recoverd-behaviours §4.1")]
public class PacketFramingTests
{
    [TestCase(0, 0)]
    [TestCase(1, 8)]
    [TestCase(8, 8)]
    [TestCase(9, 16)]
    [TestCase(44, 48)]
    [TestCase(60, 64)]
    [TestCase(64, 64)]
    public void Lengths_round_up_to_8(int length, int padded) =>
        Assert.That(PacketFraming.PaddedLength(length), Is.EqualTo(padded));

    [Test]
    public void Padding_rejects_impossible_lengths()
    {
        Assert.That(() => PacketFraming.PaddedLength(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => PacketFraming.PaddedLength(PacketFraming.MaxPacketLength + 1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Header_push_and_pull_are_inverse()
    {
        var header = new PacketHeader(64, CtdbConstants.Magic, CtdbConstants.Protocol, 0x0B5AA6FA, CtdbOperation.ReqControl, CtdbConstants.CurrentNode, 2, 0x7FFFFF38);
        var bytes = new byte[PacketHeader.Size];
        header.Push(bytes);

        Assert.That(Convert.ToHexStringLower(bytes), Is.EqualTo("40000000" + "42445443" + "01000000" + "faa65a0b" + "07000000" + "010000f0" + "02000000" + "38ffff7f"));
        Assert.That(PacketHeader.Pull(bytes), Is.EqualTo(header));
    }

    [Test]
    public void Header_pull_rejects_short_input_at_every_length()
    {
        var bytes = new byte[PacketHeader.Size];
        for (var length = 0; length < PacketHeader.Size; length++)
        {
            var cut = bytes[..length];
            Assert.That(() => PacketHeader.Pull(cut), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("packet header"), $"{length}");
        }
    }

    [Test]
    public void ReadLength_accepts_header_to_maximum()
    {
        Assert.That(PacketFraming.ReadLength(Le(32)), Is.EqualTo(32));
        Assert.That(PacketFraming.ReadLength(Le(PacketFraming.MaxPacketLength)), Is.EqualTo(PacketFraming.MaxPacketLength));
    }

    [TestCase(0u)]
    [TestCase(31u)]
    [TestCase(64u * 1024 * 1024 + 1)]
    [TestCase(0x80000000u)]
    [TestCase(0xFFFFFFFFu)]
    public void ReadLength_rejects_impossible_lengths(uint length) =>
        Assert.That(() => PacketFraming.ReadLength(Le(length)), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains($"{length}"));

    [Test]
    public void ReadLength_needs_four_bytes()
    {
        for (var n = 0; n < 4; n++)
        {
            var bytes = new byte[n];
            Assert.That(() => PacketFraming.ReadLength(bytes), Throws.TypeOf<CtdbProtocolException>(), $"{n}");
        }
    }

    [Test]
    public void ReadHeader_accepts_a_valid_packet()
    {
        var packet = Controls.GetPnn(CtdbConstants.CurrentNode).Encode(9);

        var header = PacketFraming.ReadHeader(packet);

        Assert.That(header.Operation, Is.EqualTo(CtdbOperation.ReqControl));
        Assert.That(header.ReqId, Is.EqualTo(9));
        Assert.That(header.Length, Is.EqualTo(packet.Length));
    }

    [Test]
    public void ReadHeader_rejects_bad_magic()
    {
        var packet = Controls.GetPnn(0).Encode(1);
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(4), 0x42445443);

        Assert.That(() => PacketFraming.ReadHeader(packet), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("magic"));
    }

    [TestCase(0u)]
    [TestCase(2u)]
    [TestCase(0x01000000u)]
    public void ReadHeader_rejects_other_protocol_versions(uint version)
    {
        var packet = Controls.GetPnn(0).Encode(1);
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(8), version);

        Assert.That(() => PacketFraming.ReadHeader(packet), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("version"));
    }

    [TestCase(6u)]
    [TestCase(11u)]
    [TestCase(0xFFFFFFFFu)]
    public void ReadHeader_rejects_unknown_operations(uint operation)
    {
        var packet = Controls.GetPnn(0).Encode(1);
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(16), operation);

        Assert.That(() => PacketFraming.ReadHeader(packet), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains($"operation {operation}"));
    }

    [Test]
    public void ReadHeader_rejects_a_length_field_that_differs_from_the_packet()
    {
        var packet = Controls.GetPnn(0).Encode(1);

        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(0), (uint)packet.Length + 8);
        Assert.That(() => PacketFraming.ReadHeader(packet), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("length"));

        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(0), (uint)packet.Length - 8);
        Assert.That(() => PacketFraming.ReadHeader(packet), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("length"));
    }

    private static byte[] Le(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Le(int value) => Le((uint)value);
}
