using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>One packet kind seen generically: random packets, decode-and-re-encode, where its inner length sits.</summary>
public abstract class PacketCase
{
    public abstract string Name { get; }

    public abstract CtdbOperation Operation { get; }

    /// <summary>Offset of the fixed part's end (where the payload starts).</summary>
    public abstract int FixedSize { get; }

    /// <summary>Offset of the datalen field.</summary>
    public abstract int DataLengthOffset { get; }

    /// <summary>A random packet and the unpadded length of its content.</summary>
    public abstract (byte[] Packet, int ContentLength) Random(Random rng);

    /// <summary>Decodes, re-encodes with the decoded header, returns the new bytes.</summary>
    public abstract byte[] Reencode(byte[] packet);

    public override string ToString() => Name;
}

public sealed class ControlRequestCase : PacketCase
{
    public override string Name => "ControlRequest";

    public override CtdbOperation Operation => CtdbOperation.ReqControl;

    public override int FixedSize => ControlRequest.FixedSize;

    public override int DataLengthOffset => 56;

    public override (byte[] Packet, int ContentLength) Random(Random rng)
    {
        var request = new ControlRequest((CtdbControl)rng.Next(0, 200), Gen.UInt32(rng), Gen.UInt64(rng), Gen.UInt32(rng), Gen.UInt32(rng), Gen.Bytes(rng, 100));
        return (request.Encode(Gen.UInt32(rng), Gen.UInt32(rng), Gen.UInt32(rng)), FixedSize + request.Data.Length);
    }

    public override byte[] Reencode(byte[] packet)
    {
        var (header, request) = ControlRequest.Decode(packet);
        return request.Encode(header.ReqId, header.SrcNode, header.Generation);
    }
}

public sealed class ControlReplyCase : PacketCase
{
    public override string Name => "ControlReply";

    public override CtdbOperation Operation => CtdbOperation.ReplyControl;

    public override int FixedSize => ControlReply.FixedSize;

    public override int DataLengthOffset => 36;

    public override (byte[] Packet, int ContentLength) Random(Random rng)
    {
        var error = rng.Next(3) == 0 ? $"error {rng.Next()}" : null;
        var reply = new ControlReply(rng.Next(int.MinValue, int.MaxValue), Gen.Bytes(rng, 100), error);
        var header = new PacketHeader(0, CtdbConstants.Magic, CtdbConstants.Protocol, Gen.UInt32(rng), CtdbOperation.ReplyControl, Gen.UInt32(rng), Gen.UInt32(rng), Gen.UInt32(rng));
        return (reply.Encode(header), FixedSize + reply.Data.Length + (error?.Length ?? 0));
    }

    public override byte[] Reencode(byte[] packet)
    {
        var (header, reply) = ControlReply.Decode(packet);
        return reply.Encode(header);
    }
}

public sealed class MessagePacketCase : PacketCase
{
    public override string Name => "MessagePacket";

    public override CtdbOperation Operation => CtdbOperation.ReqMessage;

    public override int FixedSize => MessagePacket.FixedSize;

    public override int DataLengthOffset => 40;

    public override (byte[] Packet, int ContentLength) Random(Random rng)
    {
        var message = new MessagePacket(Gen.UInt64(rng), Gen.Bytes(rng, 100));
        return (message.Encode(Gen.UInt32(rng), Gen.UInt32(rng), Gen.UInt32(rng), Gen.UInt32(rng)), FixedSize + message.Data.Length);
    }

    public override byte[] Reencode(byte[] packet)
    {
        var (header, message) = MessagePacket.Decode(packet);
        return message.Encode(header.DestNode, header.ReqId, header.SrcNode, header.Generation);
    }
}

internal static class PacketCases
{
    public static IEnumerable<PacketCase> All() => [new ControlRequestCase(), new ControlReplyCase(), new MessagePacketCase()];
}
