namespace CtdbInterop.Fuzz;

/// <summary>
/// Runs one fuzz input. Decoders may fail only with <c>CtdbProtocolException</c> (and reply
/// parsers also with <c>CtdbControlException</c> for a well-formed failure reply): the targets
/// catch exactly those, so anything else escapes and afl-fuzz records a crash.
/// </summary>
internal static class FuzzInput
{
    public const int TargetCount = 6;

    public static FuzzTarget TargetOf(ReadOnlySpan<byte> input) =>
        input.IsEmpty ? FuzzTarget.Framing : (FuzzTarget)(input[0] % TargetCount);

    public static void Run(ReadOnlySpan<byte> input)
    {
        var data = input.IsEmpty ? input : input[1..];
        switch (TargetOf(input))
        {
            case FuzzTarget.Framing:
                PacketTargets.Framing(data);
                break;
            case FuzzTarget.ControlReply:
                PacketTargets.ControlReply(data);
                break;
            case FuzzTarget.ControlRequest:
                PacketTargets.ControlRequest(data);
                break;
            case FuzzTarget.Message:
                PacketTargets.Message(data);
                break;
            case FuzzTarget.Payload:
                PayloadTargets.All(data);
                break;
            case FuzzTarget.Stream:
                StreamTarget.Run(data);
                break;
        }
    }
}
