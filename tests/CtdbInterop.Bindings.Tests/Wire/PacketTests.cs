using System.Buffers.Binary;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>Rules every packet kind follows: padding, inner lengths, strict header checks.</summary>
[TestFixtureSource(typeof(PacketCases), nameof(PacketCases.All))]
[Description("recoverd-behaviours §4.1, §7 mistake 1")]
public class PacketTests(PacketCase kind)
{
    private const int Seed = 777;

    [Test]
    public void Random_packets_are_padded_and_re_encode_identically()
    {
        var rng = new Random(Seed);
        for (var i = 0; i < Gen.Instances; i++)
        {
            var tag = $"{kind} seed {Seed} instance {i}";
            var (packet, content) = kind.Random(rng);
            Assert.That(packet.Length % 8, Is.Zero, tag);
            Assert.That(packet.Length, Is.EqualTo(PacketFraming.PaddedLength(content)), tag);
            Assert.That(packet.AsSpan(content).IndexOfAnyExcept((byte)0), Is.EqualTo(-1), $"{tag}: padding is zero");

            var header = PacketFraming.ReadHeader(packet);
            Assert.That(header.Operation, Is.EqualTo(kind.Operation), tag);
            Assert.That(kind.Reencode(packet), Is.EqualTo(packet), tag);
        }
    }

    [Test]
    public void Unpadded_packets_are_accepted_as_ctdbd_accepts_them()
    {
        var rng = new Random(Seed + 1);
        for (var i = 0; i < 50; i++)
        {
            var (packet, content) = kind.Random(rng);
            var unpadded = packet[..content];
            BinaryPrimitives.WriteUInt32LittleEndian(unpadded, (uint)content);

            Assert.That(kind.Reencode(unpadded), Is.EqualTo(packet), $"{kind} instance {i}");
        }
    }

    [Test]
    public void Truncation_at_every_length_is_rejected()
    {
        var (packet, _) = kind.Random(new Random(Seed + 2));
        for (var length = 0; length < packet.Length; length++)
        {
            var cut = packet[..length];
            Assert.That(() => kind.Reencode(cut), Throws.TypeOf<CtdbProtocolException>(), $"{kind} cut at {length}");
        }
    }

    [Test]
    public void Truncation_with_a_matching_length_field_is_rejected_once_content_is_cut()
    {
        var rng = new Random(Seed + 3);
        for (var i = 0; i < 10; i++)
        {
            var (packet, content) = kind.Random(rng);
            for (var length = PacketHeader.Size; length < content; length++)
            {
                var cut = packet[..length];
                BinaryPrimitives.WriteUInt32LittleEndian(cut, (uint)length);
                Assert.That(() => kind.Reencode(cut), Throws.TypeOf<CtdbProtocolException>(), $"{kind} instance {i} cut at {length} of {content}");
            }
        }
    }

    [TestCase(8)]
    [TestCase(16)]
    [TestCase(4096)]
    public void Bytes_beyond_the_padding_are_rejected(int extra)
    {
        var (packet, _) = kind.Random(new Random(Seed + 4));
        var longer = packet.Concat(new byte[extra]).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(longer, (uint)longer.Length);

        Assert.That(() => kind.Reencode(longer), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("padding"));
    }

    [TestCase(0xFFFFFFFFu)]
    [TestCase(0x80000000u)]
    [TestCase(0x7FFFFFFFu)]
    public void Absurd_datalen_is_rejected(uint dataLength)
    {
        var (packet, _) = kind.Random(new Random(Seed + 5));
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(kind.DataLengthOffset), dataLength);

        Assert.That(() => kind.Reencode(packet), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains($"{dataLength}"));
    }

    [Test]
    public void A_datalen_one_past_the_packet_is_rejected()
    {
        var (packet, _) = kind.Random(new Random(Seed + 6));
        var datalen = (uint)(packet.Length - kind.FixedSize + 1);
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(kind.DataLengthOffset), datalen);

        Assert.That(() => kind.Reencode(packet), Throws.TypeOf<CtdbProtocolException>());
    }

    [Test]
    public void Other_operations_are_rejected()
    {
        var (packet, _) = kind.Random(new Random(Seed + 7));
        foreach (var operation in new[] { CtdbOperation.ReqControl, CtdbOperation.ReplyControl, CtdbOperation.ReqMessage, CtdbOperation.ReqCall, CtdbOperation.ReqKeepalive })
        {
            if (operation == kind.Operation)
            {
                continue;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(16), (uint)operation);
            Assert.That(() => kind.Reencode(packet), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains($"{operation}"), $"{operation}");
        }
    }

    [Test]
    public void Bad_magic_version_and_operation_are_rejected()
    {
        (int Offset, uint Value, string Word)[] corruptions = [(4, 0xDEADBEEF, "magic"), (8, 2, "version"), (16, 6, "operation"), (16, 0xFFFFFFFF, "operation")];
        foreach (var (offset, value, word) in corruptions)
        {
            var (packet, _) = kind.Random(new Random(Seed + 8));
            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(offset), value);
            Assert.That(() => kind.Reencode(packet), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains(word), word);
        }
    }

    [Test]
    public void Random_garbage_and_bit_flips_only_raise_protocol_exceptions()
    {
        var rng = new Random(Seed + 9);
        for (var i = 0; i < 1000; i++)
        {
            byte[] packet;
            if (i % 2 == 0)
            {
                packet = Gen.Bytes(rng, 200);
                if (packet.Length >= 4)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(packet, (uint)packet.Length);
                }
            }
            else
            {
                (packet, _) = kind.Random(rng);
                packet[rng.Next(packet.Length)] ^= (byte)(1 << rng.Next(8));
            }

            try
            {
                kind.Reencode(packet);
            }
            catch (CtdbProtocolException ex)
            {
                Assert.That(ex.Message, Is.Not.Empty);
            }
        }
    }
}
