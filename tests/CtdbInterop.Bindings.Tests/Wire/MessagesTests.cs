using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

[Description("recoverd-behaviours §5")]
public class MessagesTests
{
    [Test]
    public void Factories_use_the_right_srvid_and_payload()
    {
        var election = new ElectionMessage(2, new TimeVal(100, 5), 1, 0);
        Assert.Multiple(() =>
        {
            Check(Messages.Leader(CtdbConstants.UnknownPnn), CtdbSrvid.Leader, "ffffffff");
            Check(Messages.Election(election), CtdbSrvid.Election, Convert.ToHexStringLower(WireType.Encode(election)));
            Check(Messages.TakeoverRun(new SrvidMessage(1, 0)), CtdbSrvid.TakeoverRun, "01000000000000000000000000000000");
            Check(Messages.DisableTakeoverRuns(new DisableMessage(0, 0, 60)), CtdbSrvid.DisableTakeoverRuns, "0000000000000000" + "0000000000000000" + "3c00000000000000");
            Check(Messages.DisableRecoveries(new DisableMessage(0, 0, 0)), CtdbSrvid.DisableRecoveries, new string('0', 48));
            Check(Messages.PushNodeFlags(new NodeFlagChange(1, NodeFlags.Unhealthy, 0)), CtdbSrvid.PushNodeFlags, "010000000200000000000000");
            Check(Messages.Banning(2), CtdbSrvid.Banning, "02000000");
            Check(Messages.RebalanceNode(1), CtdbSrvid.RebalanceNode, "01000000");
            Check(Messages.Reconfigure(), CtdbSrvid.Reconfigure, "");
            Check(Messages.ReloadNodes(), CtdbSrvid.ReloadNodes, "");
            Check(Messages.Int32Reply(0xCE00000100000001, -11), 0xCE00000100000001, "f5ffffff");
            Check(Messages.TextReply(0xCE00000100000002, "report"), 0xCE00000100000002, "7265706f7274");
        });
    }

    [Test]
    public void Parsers_read_back_what_factories_write()
    {
        var election = new ElectionMessage(3, new TimeVal(1_764_111_000, 999_999), 2, NodeFlags.Banned);
        Assert.Multiple(() =>
        {
            Assert.That(Messages.ParseLeader(Messages.Leader(2)), Is.EqualTo(2));
            Assert.That(Messages.ParseElection(Messages.Election(election)), Is.EqualTo(election));
            Assert.That(Messages.ParseSrvidMessage(Messages.TakeoverRun(new SrvidMessage(1, 77))), Is.EqualTo(new SrvidMessage(1, 77)));
            Assert.That(Messages.ParseDisableMessage(Messages.DisableRecoveries(new DisableMessage(1, 5, 60))), Is.EqualTo(new DisableMessage(1, 5, 60)));
            Assert.That(Messages.ParseNodeFlagChange(Messages.PushNodeFlags(new NodeFlagChange(1, NodeFlags.Unhealthy, 0))), Is.EqualTo(new NodeFlagChange(1, NodeFlags.Unhealthy, 0)));
            Assert.That(Messages.ParsePnn(Messages.Banning(2)), Is.EqualTo(2));
            Assert.That(Messages.ParsePnn(Messages.RebalanceNode(1)), Is.EqualTo(1));
            Assert.That(Messages.ParseInt32Reply(Messages.Int32Reply(1, -11)), Is.EqualTo(-11));
            Assert.That(Messages.ParseTextReply(Messages.TextReply(1, "report")), Is.EqualTo("report"));
            Assert.That(Messages.ParseDisableIpCheck(new MessagePacket(CtdbSrvid.DisableIpCheck, WireScalars.EncodeUInt32(30))), Is.EqualTo(30));
        });
    }

    [Test]
    public void Leader_payload_of_more_than_4_bytes_is_accepted()
    {
        var message = new MessagePacket(CtdbSrvid.Leader, Convert.FromHexString("0100000099999999"));

        Assert.That(Messages.ParseLeader(message), Is.EqualTo(1));
    }

    public static IEnumerable<TestCaseData> ExactParsers()
    {
        yield return Exact("ELECTION", m => Messages.ParseElection(m), ElectionMessage.Size);
        yield return Exact("srvid message", m => Messages.ParseSrvidMessage(m), SrvidMessage.Size);
        yield return Exact("disable message", m => Messages.ParseDisableMessage(m), DisableMessage.Size);
        yield return Exact("node flag change", m => Messages.ParseNodeFlagChange(m), NodeFlagChange.Size);
        yield return Exact("PNN", m => Messages.ParsePnn(m), 4);
        yield return Exact("DISABLE_IP_CHECK", m => Messages.ParseDisableIpCheck(m), 4);
        yield return Exact("int32 reply", m => Messages.ParseInt32Reply(m), 4);
    }

    [TestCaseSource(nameof(ExactParsers))]
    public void Fixed_size_payloads_must_have_exactly_their_size(Func<MessagePacket, object> parse, int size)
    {
        Assert.That(parse(new MessagePacket(1, new byte[size])), Is.Not.Null);
        for (var length = 0; length <= size + 8; length++)
        {
            if (length == size)
            {
                continue;
            }

            var message = new MessagePacket(1, new byte[length]);
            Assert.That(() => parse(message), Throws.TypeOf<CtdbProtocolException>(), $"{length} bytes");
        }
    }

    [Test]
    public void Leader_payload_shorter_than_4_bytes_is_rejected()
    {
        for (var length = 0; length < 4; length++)
        {
            var message = new MessagePacket(CtdbSrvid.Leader, new byte[length]);
            Assert.That(() => Messages.ParseLeader(message), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("LEADER"));
        }
    }

    [Test]
    public void Released_address_is_the_text_before_the_NUL()
    {
        Assert.That(Messages.ParseReleasedAddress(new MessagePacket(CtdbSrvid.ReleaseIp, "192.168.100.1\0"u8.ToArray())), Is.EqualTo("192.168.100.1"));
        Assert.That(Messages.ParseReleasedAddress(new MessagePacket(CtdbSrvid.ReleaseIp, ReadOnlyMemory<byte>.Empty)), Is.Empty);
    }

    [Test]
    public void Text_reply_stops_at_a_NUL_and_empty_is_empty()
    {
        Assert.That(Messages.ParseTextReply(new MessagePacket(1, "ab\0cd"u8.ToArray())), Is.EqualTo("ab"));
        Assert.That(Messages.ParseTextReply(new MessagePacket(1, ReadOnlyMemory<byte>.Empty)), Is.Empty);
    }

    private static void Check(MessagePacket message, ulong srvid, string hex)
    {
        Assert.That(message.Srvid, Is.EqualTo(srvid), hex);
        Assert.That(Convert.ToHexStringLower(message.Data.Span), Is.EqualTo(hex));
    }

    private static TestCaseData Exact(string name, Func<MessagePacket, object> parse, int size) =>
        new TestCaseData(parse, size).SetArgDisplayNames(name);
}
