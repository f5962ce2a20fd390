using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Cluster;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Cluster;

[Description("issue 7: an outcome of a control round means to the core what the same control sent alone meant")]
public class ReadsTests
{
    private static readonly ControlReply Ok = new(0, BitConverter.GetBytes(7), null);

    [Test]
    public void A_reply_is_parsed_into_a_value()
    {
        var read = Reads.From(new NodeControlResult(1, Ok, null), Controls.ParseGetDebug);
        Assert.That(read.TryGetValue(out var level) && level == 7, Is.True);
    }

    [Test]
    public void A_refusal_a_timeout_and_an_unusable_reply_are_failed_reads()
    {
        var refused = new NodeControlResult(1, new ControlReply(-1, ReadOnlyMemory<byte>.Empty, "no"), null);
        var timedOut = new NodeControlResult(1, null, new CtdbControlTimeoutException(CtdbControl.GetDebug, 1, TimeSpan.FromSeconds(1)));
        var garbled = new NodeControlResult(1, null, new CtdbProtocolException("short packet"));
        var tooShort = new NodeControlResult(1, new ControlReply(0, new byte[1], null), null);

        Assert.Multiple(() =>
        {
            Assert.That(Reads.From(refused, Controls.ParseGetDebug).Succeeded, Is.False);
            Assert.That(Reads.From(timedOut, Controls.ParseGetDebug).Succeeded, Is.False);
            Assert.That(Reads.From(garbled, Controls.ParseGetDebug).Succeeded, Is.False);
            Assert.That(Reads.From(tooShort, Controls.ParseGetDebug).Succeeded, Is.False);
        });
    }

    [Test]
    public void A_lost_or_disposed_connection_is_not_a_failed_read_it_ends_the_loop()
    {
        var lost = new NodeControlResult(1, null, new CtdbConnectionLostException("ctdbd went away"));
        var disposed = new NodeControlResult(1, null, new ObjectDisposedException(nameof(CtdbClient)));

        Assert.Multiple(() =>
        {
            Assert.That(() => Reads.From(lost, Controls.ParseGetDebug), Throws.TypeOf<CtdbConnectionLostException>());
            Assert.That(() => Reads.From(disposed, Controls.ParseGetDebug), Throws.TypeOf<ObjectDisposedException>());
        });
    }

    [Test]
    [Description("issue 7: the parse through the last reply was a new delegate on every call, several times an iteration")]
    public void A_repeated_reply_read_through_the_last_one_gives_the_same_value_and_allocates_nothing()
    {
        var last = new RepeatedReply<string>();
        var result = new NodeControlResult(1, Ok, null);
        var first = Reads.From(result, last, Describe);
        Reads.From(result, last, Describe);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = Reads.From(result, last, Describe);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var refused = Reads.From(new NodeControlResult(1, new ControlReply(-1, ReadOnlyMemory<byte>.Empty, "no"), null), last, Describe);

        Assert.Multiple(() =>
        {
            Assert.That(first.TryGetValue(out var value) && value == "debug 7", Is.True);
            Assert.That(again.TryGetValue(out var repeated) && ReferenceEquals(repeated, first.Value), Is.True);
            Assert.That(allocated, Is.Zero);
            Assert.That(refused.Succeeded, Is.False);
        });
    }

    private static string Describe(ControlReply reply) => $"debug {Controls.ParseGetDebug(reply)}";
}
