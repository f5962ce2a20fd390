using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Fuzz;

/// <summary>Every message payload parser; parsers do not look at the srvid, so all see every message.</summary>
internal static class MessageParsers
{
    public static void RunAll(MessagePacket message)
    {
        Expect.Decodes(() => Messages.ParseLeader(message));
        Expect.Decodes(() => Messages.ParseElection(message));
        Expect.Decodes(() => Messages.ParseSrvidMessage(message));
        Expect.Decodes(() => Messages.ParseDisableMessage(message));
        Expect.Decodes(() => Messages.ParseNodeFlagChange(message));
        Expect.Decodes(() => Messages.ParsePnn(message));
        Expect.Decodes(() => Messages.ParseDisableIpCheck(message));
        Expect.Decodes(() => Messages.ParseInt32Reply(message));
        Expect.Decodes(() => Messages.ParseTextReply(message));
    }
}
