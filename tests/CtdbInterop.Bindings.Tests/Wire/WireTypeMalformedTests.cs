using System.Buffers.Binary;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>Every payload decoder rejects bad input with <see cref="CtdbProtocolException"/> only.</summary>
[TestFixtureSource(typeof(WireCases), nameof(WireCases.All))]
public class WireTypeMalformedTests(WireCase wire)
{
    private const int Seed = 4242;

    [Test]
    public void Truncation_at_every_length_throws_a_protocol_exception()
    {
        var rng = new Random(Seed);
        for (var instance = 0; instance < 5; instance++)
        {
            var bytes = wire.Encode(wire.NonEmpty(rng));
            for (var length = 0; length < bytes.Length; length++)
            {
                var cut = bytes[..length];
                var ex = Assert.Throws<CtdbProtocolException>(() => wire.Pull(cut, out _), $"{wire} cut at {length} of {bytes.Length}");
                Assert.That(ex!.Message, Does.Contain("truncated").Or.Contain("needs"), $"{wire} cut at {length}");
            }
        }
    }

    [Test]
    public void Exact_decoding_rejects_trailing_bytes()
    {
        var rng = new Random(Seed + 1);
        var bytes = wire.Encode(wire.Random(rng));
        for (var extra = 1; extra <= 9; extra++)
        {
            var longer = bytes.Concat(new byte[extra]).ToArray();
            var ex = Assert.Throws<CtdbProtocolException>(() => wire.DecodeExact(longer), $"{wire} + {extra}");
            Assert.That(ex!.Message, Does.Contain("trailing").And.Contain(wire.Name));
        }
    }

    [TestCase(0xFFFFFFFFu)]
    [TestCase(0x80000000u)]
    [TestCase(0x7FFFFFFFu)]
    [TestCase(0x10000000u)]
    public void Absurd_counts_are_rejected_before_allocating(uint count)
    {
        if (wire.CountOffset is not { } offset)
        {
            Assert.That(wire.ElementSize, Is.Zero, "fixed-size types have no count");
            return;
        }

        var bytes = wire.Encode(wire.NonEmpty(new Random(Seed + 2)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), count);

        var ex = Assert.Throws<CtdbProtocolException>(() => wire.Pull(bytes, out _));
        Assert.That(ex!.Message, Does.Contain(count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void A_count_one_larger_than_the_data_is_rejected()
    {
        if (wire.CountOffset is not { } offset)
        {
            Assert.That(wire.ElementSize, Is.Zero, "fixed-size types have no count");
            return;
        }

        var bytes = wire.Encode(wire.NonEmpty(new Random(Seed + 3)));
        var count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), count + 1);

        Assert.That(() => wire.Pull(bytes, out _), Throws.TypeOf<CtdbProtocolException>());
    }

    [Test]
    public void Random_garbage_decodes_or_throws_only_protocol_exceptions()
    {
        var rng = new Random(Seed + 4);
        for (var i = 0; i < 1000; i++)
        {
            var garbage = Gen.Bytes(rng, 400);
            AssertDecodesOrRejects(garbage, $"{wire} garbage {i} ({garbage.Length} bytes, seed {Seed + 4})");
        }
    }

    [Test]
    public void Bit_flips_decode_or_throw_only_protocol_exceptions()
    {
        var rng = new Random(Seed + 5);
        for (var i = 0; i < 500; i++)
        {
            var bytes = wire.Encode(wire.NonEmpty(rng));
            var at = rng.Next(bytes.Length);
            bytes[at] ^= (byte)(1 << rng.Next(8));
            AssertDecodesOrRejects(bytes, $"{wire} flip {i} at byte {at} (seed {Seed + 5})");
        }
    }

    private void AssertDecodesOrRejects(byte[] data, string tag)
    {
        try
        {
            var value = wire.Pull(data, out var consumed);
            Assert.That(consumed, Is.InRange(0, data.Length), tag);
            Assert.That(wire.Length(value), Is.EqualTo(consumed), tag);
        }
        catch (CtdbProtocolException ex)
        {
            Assert.That(ex.Message, Is.Not.Empty, tag);
        }
    }
}
