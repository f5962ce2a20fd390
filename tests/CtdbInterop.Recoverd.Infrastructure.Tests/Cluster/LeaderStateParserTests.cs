using System.Net;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Cluster;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Cluster;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[Description("issue 7: the leader's round that repeats the last one gives the last reads back; any change is read as ever")]
public class LeaderStateParserTests
{
    // Node 0 leads a healthy 3-node cluster: the others' node maps, its VNN map, every
    // node's recovery mode and the others' VNN maps, in the order the round asks for them.
    private static readonly LeaderReadTargets Targets = new(0, [1, 2], [0, 1, 2], [1, 2]);

    private readonly LeaderStateParser _parser = new();

    [Test]
    public void A_repeated_round_gives_the_same_reads()
    {
        var first = _parser.Parse(Targets, Round());
        var again = _parser.Parse(Targets, Round());

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.SameAs(first));
            Assert.That(first.RemoteNodeMaps.Keys, Is.EquivalentTo(new uint[] { 1, 2 }));
            Assert.That(first.RemoteNodeMaps[2].Value.Count, Is.EqualTo(3));
            Assert.That(first.LocalVnnMap.Value.Generation, Is.EqualTo(7u));
            Assert.That(first.RecoveryModes.Values.Select(m => m.Value), Is.All.EqualTo(CtdbRecoveryMode.Normal));
            Assert.That(first.RemoteVnnMaps.Keys, Is.EquivalentTo(new uint[] { 1, 2 }));
        });
    }

    [Test]
    public void A_changed_reply_gives_new_reads_and_keeps_the_parts_that_did_not_change()
    {
        var first = _parser.Parse(Targets, Round());
        var changed = _parser.Parse(Targets, Round(recoveryModeOf1: CtdbRecoveryMode.Active));

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.Not.SameAs(first));
            Assert.That(changed.RecoveryModes[1].Value, Is.EqualTo(CtdbRecoveryMode.Active));
            Assert.That(changed.RecoveryModes[0].Value, Is.EqualTo(CtdbRecoveryMode.Normal));
            Assert.That(changed.RemoteNodeMaps, Is.SameAs(first.RemoteNodeMaps));
            Assert.That(changed.RemoteVnnMaps, Is.SameAs(first.RemoteVnnMaps));
        });
    }

    [Test]
    public void A_failed_read_is_failed_and_the_next_answer_is_read_again()
    {
        var first = _parser.Parse(Targets, Round());
        var failed = _parser.Parse(Targets, Round(vnnMapOf2Fails: true));
        var recovered = _parser.Parse(Targets, Round());

        Assert.Multiple(() =>
        {
            Assert.That(failed.RemoteVnnMaps[2].Succeeded, Is.False);
            Assert.That(failed.RemoteVnnMaps[1].Succeeded, Is.True);
            Assert.That(recovered, Is.Not.SameAs(failed));
            Assert.That(recovered.RemoteVnnMaps[2].Value.Generation, Is.EqualTo(7u));
            Assert.That(first.RemoteVnnMaps[2], Is.EqualTo(recovered.RemoteVnnMaps[2]));
        });
    }

    [Test]
    public void Other_targets_give_reads_of_those_nodes_only()
    {
        _parser.Parse(Targets, Round());
        var fewer = _parser.Parse(new LeaderReadTargets(0, [1], [0, 1], [1]), [NodeMap(1), VnnMap(0), Mode(0), Mode(1), VnnMap(1)]);

        Assert.Multiple(() =>
        {
            Assert.That(fewer.RemoteNodeMaps.Keys, Is.EquivalentTo(new uint[] { 1 }));
            Assert.That(fewer.RecoveryModes.Keys, Is.EquivalentTo(new uint[] { 0, 1 }));
            Assert.That(fewer.RemoteVnnMaps.Keys, Is.EquivalentTo(new uint[] { 1 }));
        });
    }

    private static NodeControlResult[] Round(CtdbRecoveryMode recoveryModeOf1 = CtdbRecoveryMode.Normal, bool vnnMapOf2Fails = false) =>
    [
        NodeMap(1), NodeMap(2),
        VnnMap(0),
        Mode(0), Mode(1, recoveryModeOf1), Mode(2),
        VnnMap(1), vnnMapOf2Fails ? new NodeControlResult(2, null, new CtdbControlTimeoutException(CtdbControl.Getvnnmap, 2, TimeSpan.FromSeconds(1))) : VnnMap(2),
    ];

    private static NodeControlResult NodeMap(uint pnn) =>
        new(pnn, new ControlReply(0, WireType.Encode(new NodeMap(
        [
            new NodeAndFlags(0, 0, new IPEndPoint(IPAddress.Parse("127.0.0.1"), CtdbConstants.Port)),
            new NodeAndFlags(1, 0, new IPEndPoint(IPAddress.Parse("127.0.0.2"), CtdbConstants.Port)),
            new NodeAndFlags(2, 0, new IPEndPoint(IPAddress.Parse("127.0.0.3"), CtdbConstants.Port)),
        ])), null), null);

    private static NodeControlResult VnnMap(uint pnn) => new(pnn, new ControlReply(0, WireType.Encode(new VnnMap(7, [0, 1, 2])), null), null);

    private static NodeControlResult Mode(uint pnn, CtdbRecoveryMode mode = CtdbRecoveryMode.Normal) =>
        new(pnn, new ControlReply((int)mode, ReadOnlyMemory<byte>.Empty, null), null);
}
