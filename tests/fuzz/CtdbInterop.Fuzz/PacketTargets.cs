using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Fuzz;

/// <summary>Whole packets: framing, control replies, control requests and messages.</summary>
internal static class PacketTargets
{
    public static void Framing(ReadOnlySpan<byte> packet)
    {
        var bytes = packet.ToArray();
        Expect.Decodes(() => PacketFraming.ReadLength(bytes));
        Expect.Decodes(() => PacketFraming.ReadHeader(bytes));
    }

    public static void ControlReply(ReadOnlySpan<byte> packet)
    {
        ControlReply reply;
        PacketHeader header;
        try
        {
            (header, reply) = Bindings.Wire.ControlReply.Decode(packet);
        }
        catch (CtdbProtocolException)
        {
            return;
        }

        // A decoded reply re-encodes and decodes to the same value.
        var again = Bindings.Wire.ControlReply.Decode(reply.Encode(header)).Reply;
        Invariant.Holds(again.Equals(reply), "control reply round trip");
        ReplyParsers.RunAll(reply);
    }

    public static void ControlRequest(ReadOnlySpan<byte> packet)
    {
        ControlRequest request;
        PacketHeader header;
        try
        {
            (header, request) = Bindings.Wire.ControlRequest.Decode(packet);
        }
        catch (CtdbProtocolException)
        {
            return;
        }

        var again = Bindings.Wire.ControlRequest.Decode(request.Encode(header.ReqId, header.SrcNode, header.Generation)).Request;
        Invariant.Holds(again.Equals(request), "control request round trip");
        Expect.Decodes(() => Controls.ReadModifyFlagsRequest(request));
        Expect.Decodes(() => Controls.ReadSetBanStateRequest(request));
        Expect.Decodes(() => Controls.ReadSetRecmodeRequest(request));
        Expect.Decodes(() => Controls.ReadRecdReclockLatencyRequest(request));
    }

    public static void Message(ReadOnlySpan<byte> packet)
    {
        MessagePacket message;
        PacketHeader header;
        try
        {
            (header, message) = MessagePacket.Decode(packet);
        }
        catch (CtdbProtocolException)
        {
            return;
        }

        var again = MessagePacket.Decode(message.Encode(header.DestNode, header.ReqId, header.SrcNode, header.Generation)).Message;
        Invariant.Holds(again.Equals(message), "message round trip");
        MessageParsers.RunAll(message);
    }
}
