using System.Buffers.Binary;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

[TestFixtureSource(typeof(WireCases), nameof(WireCases.All))]
public class WireTypeRoundTripTests(WireCase wire)
{
    private const int Seed = 20261125;

    [Test]
    public void Random_values_survive_push_then_pull()
    {
        var rng = new Random(Seed);
        for (var i = 0; i < Gen.Instances; i++)
        {
            var tag = $"{wire} seed {Seed} instance {i}";
            var value = wire.Random(rng);
            var bytes = wire.Encode(value);
            Assert.That(bytes, Has.Length.EqualTo(wire.Length(value)), tag);

            var pulled = wire.Pull(bytes, out var consumed);
            Assert.That(consumed, Is.EqualTo(bytes.Length), tag);
            Assert.That(pulled, Is.EqualTo(value), tag);
            Assert.That(wire.DecodeExact(bytes), Is.EqualTo(value), tag);
            Assert.That(wire.Encode(pulled), Is.EqualTo(bytes), tag);
        }
    }

    [Test]
    public void Pull_reads_one_value_and_leaves_what_follows()
    {
        var rng = new Random(Seed + 1);
        var value = wire.Random(rng);
        var bytes = wire.Encode(value);
        var withTail = bytes.Concat(new byte[] { 0xAA, 0xBB, 0xCC }).ToArray();

        var pulled = wire.Pull(withTail, out var consumed);

        Assert.That(consumed, Is.EqualTo(bytes.Length));
        Assert.That(pulled, Is.EqualTo(value));
    }

    [Test]
    public void Counted_lists_store_their_element_count_first()
    {
        if (wire.CountOffset is not { } offset)
        {
            Assert.That(wire.ElementSize, Is.Zero, "fixed-size types have no element size");
            return;
        }

        var rng = new Random(Seed + 2);
        for (var i = 0; i < 20; i++)
        {
            var bytes = wire.Encode(wire.Random(rng));
            var count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
            Assert.That(bytes, Has.Length.EqualTo(offset + 4 + (count * wire.ElementSize)), $"{wire} instance {i}");
        }
    }
}
