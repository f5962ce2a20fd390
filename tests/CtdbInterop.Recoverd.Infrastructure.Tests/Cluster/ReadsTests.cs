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
}
