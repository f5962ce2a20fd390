using System.Globalization;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>Messages recorded from real ctdbd and recovery daemons.</summary>
[Description("GoldenData/README.md; recoverd-behaviours §5")]
public class GoldenMessageTests
{
    [Test]
    public void Leader_broadcasts_name_the_leader_every_second()
    {
        var capture = GoldenCapture.Load("leader-broadcast");
        var messages = capture.Messages(fromClient: false);
        var leader = uint.Parse(GoldenCapture.Load("status").Output("Leader:"), CultureInfo.InvariantCulture);

        Assert.That(messages, Has.Count.InRange(2, 5), "3 s of 1 s broadcasts");
        foreach (var (header, message) in messages)
        {
            Assert.That(message.Srvid, Is.EqualTo(CtdbSrvid.Leader));
            Assert.That(message.Data.Length, Is.EqualTo(4));
            Assert.That(Messages.ParseLeader(message), Is.EqualTo(leader));
            Assert.That(header.ReqId, Is.Zero);
            Assert.That(header.SrcNode, Is.EqualTo(1), "delivered by the listener's node");
        }
    }

    [Test]
    public void Tool_leader_command_reads_the_broadcast()
    {
        var capture = GoldenCapture.Load("leader");
        var message = capture.Messages(fromClient: false).First(m => m.Message.Srvid == CtdbSrvid.Leader).Message;
        Assert.That(Messages.ParseLeader(message), Is.EqualTo(uint.Parse(capture.ToolOutput.Single(), CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Election_after_the_leader_stops_carries_32_byte_election_messages()
    {
        var capture = GoldenCapture.Load("election");
        var messages = capture.Messages(fromClient: false);
        var elections = messages.Where(m => m.Message.Srvid == CtdbSrvid.Election).Select(m => Messages.ParseElection(m.Message)).ToList();

        Assert.That(elections, Is.Not.Empty);
        foreach (var election in elections)
        {
            Assert.That(election.NumConnected, Is.EqualTo(2), "two nodes left");
            Assert.That(election.Pnn, Is.AnyOf(1u, 2u), "the stopped leader (0) does not take part");
            Assert.That(election.NodeFlags, Is.EqualTo((NodeFlags)0));
            Assert.That(election.PriorityTime.Microseconds, Is.InRange(0, 999_999));
            Assert.That(election.PriorityTime.ToDateTimeOffset(), Is.EqualTo(capture.Recorded).Within(TimeSpan.FromHours(1)), "wall-clock priority time");
        }
    }

    [Test]
    public void Leader_messages_go_from_old_leader_through_unknown_to_the_new_leader()
    {
        var capture = GoldenCapture.Load("election");
        var leaders = capture.Messages(fromClient: false).Where(m => m.Message.Srvid == CtdbSrvid.Leader)
            .Select(m => Messages.ParseLeader(m.Message)).ToList();
        var newLeader = uint.Parse(GoldenCapture.Load("status-one-down").Output("Leader:"), CultureInfo.InvariantCulture);

        Assert.That(leaders[0], Is.Zero, "the old leader before it stopped");
        Assert.That(leaders, Does.Contain(CtdbConstants.UnknownPnn), "UNKNOWN while electing");
        Assert.That(leaders[^1], Is.EqualTo(newLeader));
        Assert.That(leaders.SkipWhile(l => l != newLeader), Is.All.EqualTo(newLeader));
    }

    [Test]
    public void Takeover_run_request_and_the_leaders_int32_reply()
    {
        var capture = GoldenCapture.Load("ipreallocate");
        var (requestHeader, request) = capture.Messages(fromClient: true).Single();
        var replyTo = Messages.ParseSrvidMessage(request);

        Assert.That(request.Srvid, Is.EqualTo(CtdbSrvid.TakeoverRun));
        Assert.That(requestHeader.DestNode, Is.EqualTo(CtdbConstants.BroadcastConnected));
        Assert.That(replyTo.Pnn, Is.Zero);
        Assert.That(replyTo.Srvid >> 56, Is.EqualTo(0xCE), "the tool's srvid range");
        Assert.That(Messages.TakeoverRun(replyTo).Encode(requestHeader.DestNode, requestHeader.ReqId, requestHeader.SrcNode), Is.EqualTo(capture.Packets.Single(p => p.FromClient && p.Header.Operation == CtdbOperation.ReqMessage).Bytes));

        var registered = capture.Controls().Where(c => c.Request.Opcode == CtdbControl.RegisterSrvid).Select(c => c.Request.Srvid);
        Assert.That(registered, Does.Contain(replyTo.Srvid), "the tool registered its reply srvid first");

        var reply = capture.Messages(fromClient: false).Single(m => m.Message.Srvid == replyTo.Srvid).Message;
        Assert.That(Messages.ParseInt32Reply(reply), Is.EqualTo(0), "the leader (node 0) answers with its PNN");
    }
}
