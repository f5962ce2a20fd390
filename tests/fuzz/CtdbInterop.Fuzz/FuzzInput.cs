namespace CtdbInterop.Fuzz;

/// <summary>
/// Runs one fuzz input. Decoders may fail only with <c>CtdbProtocolException</c> (and reply
/// parsers also with <c>CtdbControlException</c> for a well-formed failure reply): the targets
/// catch exactly those, so anything else escapes and afl-fuzz records a crash.
/// </summary>
internal static class FuzzInput
{
    /// <summary>
    /// Selector values repeat every 16: 0-5 are the targets in order (the seeds use these), 6-15
    /// the five in-memory targets again. The socket stream target costs some twenty times more
    /// per input than the others, so it gets one value in 16.
    /// </summary>
    public const int SelectorPeriod = 16;

    private const int InMemoryTargets = 5;

    public static FuzzTarget TargetOf(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return FuzzTarget.Framing;
        }

        var selector = input[0] % SelectorPeriod;
        return selector == (int)FuzzTarget.Stream ? FuzzTarget.Stream : (FuzzTarget)(selector % InMemoryTargets);
    }

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
