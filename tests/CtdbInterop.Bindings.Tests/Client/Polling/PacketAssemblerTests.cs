using CtdbInterop.Bindings.Client.Polling;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Client.Polling;

[Description("issue 7: the daemon-thread reader cuts ctdbd's byte stream into packets however the bytes arrive")]
public class PacketAssemblerTests
{
    [Test]
    public void Every_split_of_a_burst_yields_the_same_packets_in_order()
    {
        var packets = Enumerable.Range(0, 5).Select(i => Packet((uint)i, dataLength: i * 7)).ToList();
        var stream = packets.SelectMany(p => p).ToArray();

        foreach (var chunk in new[] { 1, 2, 3, 5, 39, 40, 41, 64, stream.Length })
        {
            var assembler = new PacketAssembler(initialCapacity: 48);
            var seen = new List<byte[]>();
            for (var offset = 0; offset < stream.Length; offset += chunk)
            {
                var piece = stream.AsSpan(offset, Math.Min(chunk, stream.Length - offset));
                while (!piece.IsEmpty)
                {
                    var free = assembler.FreeSpace.Span;
                    var n = Math.Min(free.Length, piece.Length);
                    piece[..n].CopyTo(free);
                    assembler.Advance(n);
                    piece = piece[n..];
                    assembler.TakePackets(p => seen.Add(p.ToArray()));
                }
            }

            Assert.That(seen, Is.EqualTo(packets), $"chunks of {chunk} bytes");
            Assert.That(assembler.Pending, Is.Zero);
        }
    }

    [Test]
    public void A_packet_larger_than_the_buffer_grows_it()
    {
        var big = Packet(1, dataLength: 5000);
        var assembler = new PacketAssembler(initialCapacity: 64);
        var seen = new List<byte[]>();
        var offset = 0;
        while (offset < big.Length)
        {
            var free = assembler.FreeSpace.Span;
            var n = Math.Min(free.Length, big.Length - offset);
            big.AsSpan(offset, n).CopyTo(free);
            assembler.Advance(n);
            offset += n;
            assembler.TakePackets(p => seen.Add(p.ToArray()));
        }

        Assert.That(seen, Has.Count.EqualTo(1));
        Assert.That(seen[0], Is.EqualTo(big));
    }

    [Test]
    public void A_length_no_packet_can_have_throws_a_protocol_error()
    {
        var assembler = new PacketAssembler();
        new byte[] { 3, 0, 0, 0, 0, 0, 0, 0 }.CopyTo(assembler.FreeSpace.Span);
        assembler.Advance(8);

        Assert.That(() => assembler.TakePackets(_ => Assert.Fail("no packet")), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("shorter than"));
    }

    [Test]
    public void An_incomplete_packet_is_held_back()
    {
        var packet = Packet(9, dataLength: 10);
        var assembler = new PacketAssembler();
        packet.AsSpan(0, packet.Length - 1).CopyTo(assembler.FreeSpace.Span);
        assembler.Advance(packet.Length - 1);
        var count = 0;
        assembler.TakePackets(_ => count++);

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.Zero);
            Assert.That(assembler.Pending, Is.EqualTo(packet.Length - 1));
        });
    }

    private static byte[] Packet(uint requestId, int dataLength)
    {
        var data = Enumerable.Range(0, dataLength).Select(i => (byte)(i + requestId)).ToArray();
        return new ControlRequest(CtdbControl.GetPnn, CtdbConstants.CurrentNode, 0, 0, 0, data).Encode(requestId);
    }
}
