using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Cluster;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Cluster;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[Description("issue 7 and B24: the capabilities read ahead reach the core all or nothing, and the same answer is the same dictionary")]
public class AnsweredCapabilitiesTests
{
    private readonly AnsweredCapabilities _answered = new();

    // The test's replies carry the capabilities as one byte; no reply is a failed read.
    private static CtdbCapabilities? Parse(NodeControlResult result) =>
        result.Reply is { } reply ? (CtdbCapabilities)reply.Data.Span[0] : null;

    private static NodeControlResult Node(uint pnn, CtdbCapabilities? capabilities) =>
        new(pnn, capabilities is { } c ? new ControlReply(0, new[] { (byte)c }, null) : null, capabilities is null ? new TimeoutException() : null);

    [Test]
    public void Every_node_answered_gives_every_nodes_capabilities_and_the_same_answer_the_same_dictionary()
    {
        var first = _answered.From([Node(0, CtdbCapabilities.Recmaster), Node(1, CtdbCapabilities.Lmaster)], Parse);
        var again = _answered.From([Node(0, CtdbCapabilities.Recmaster), Node(1, CtdbCapabilities.Lmaster)], Parse);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EquivalentTo(new Dictionary<uint, CtdbCapabilities> { [0] = CtdbCapabilities.Recmaster, [1] = CtdbCapabilities.Lmaster }));
            Assert.That(again, Is.SameAs(first));
        });
    }

    [Test]
    public void A_changed_answer_or_other_nodes_give_a_new_dictionary()
    {
        var first = _answered.From([Node(0, CtdbCapabilities.Recmaster), Node(1, CtdbCapabilities.Lmaster)], Parse);
        var changed = _answered.From([Node(0, CtdbCapabilities.Recmaster), Node(1, CtdbCapabilities.Recmaster)], Parse);
        var otherNode = _answered.From([Node(0, CtdbCapabilities.Recmaster), Node(2, CtdbCapabilities.Recmaster)], Parse);
        var fewer = _answered.From([Node(0, CtdbCapabilities.Recmaster)], Parse);

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.Not.SameAs(first));
            Assert.That(changed![1], Is.EqualTo(CtdbCapabilities.Recmaster));
            Assert.That(otherNode!.Keys, Is.EquivalentTo(new uint[] { 0, 2 }));
            Assert.That(fewer!.Keys, Is.EquivalentTo(new uint[] { 0 }));
        });
    }

    [Test]
    public void One_node_that_did_not_answer_fails_the_whole_read_even_right_after_a_full_one()
    {
        var full = _answered.From([Node(0, CtdbCapabilities.Recmaster), Node(1, CtdbCapabilities.Lmaster)], Parse);
        var oneFailed = _answered.From([Node(0, CtdbCapabilities.Recmaster), Node(1, null)], Parse);
        var fullAgain = _answered.From([Node(0, CtdbCapabilities.Recmaster), Node(1, CtdbCapabilities.Lmaster)], Parse);

        Assert.Multiple(() =>
        {
            Assert.That(oneFailed, Is.Null);
            Assert.That(fullAgain, Is.SameAs(full), "a failed read is not remembered");
        });
    }
}
