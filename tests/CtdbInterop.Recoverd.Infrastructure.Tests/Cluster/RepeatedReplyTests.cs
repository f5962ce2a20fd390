using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Cluster;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Cluster;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[Description("issue 7: a reply that repeats the last one is not parsed again, and only a successful one is remembered")]
public class RepeatedReplyTests
{
    private readonly RepeatedReply<string> _last = new();
    private int _parses;

    private string Parse(ControlReply reply)
    {
        _parses++;
        if (!reply.IsSuccess)
        {
            throw new CtdbControlException(CtdbInterop.Bindings.Generated.CtdbControl.GetNodemap, reply.Status, reply.ErrorMessage);
        }

        return Convert.ToHexString(reply.Data.Span);
    }

    private static ControlReply Ok(params byte[] data) => new(0, data, null);

    [Test]
    public void The_same_bytes_give_the_same_value_without_parsing_and_other_bytes_are_parsed()
    {
        var first = _last.Parse(Ok(1, 2, 3), Parse);
        var again = _last.Parse(Ok(1, 2, 3), Parse);
        var other = _last.Parse(Ok(1, 2, 4), Parse);

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.SameAs(first));
            Assert.That(other, Is.EqualTo("010204"));
            Assert.That(_parses, Is.EqualTo(2));
        });
    }

    [Test]
    public void A_failed_reply_is_parsed_every_time_and_leaves_the_last_success_in_place()
    {
        var first = _last.Parse(Ok(7), Parse);
        var failed = new ControlReply(-1, new byte[] { 7 }, "no such node");

        Assert.Throws<CtdbControlException>(() => _last.Parse(failed, Parse));
        Assert.Throws<CtdbControlException>(() => _last.Parse(failed, Parse), "a failure is never taken from memory");
        Assert.That(_last.Parse(Ok(7), Parse), Is.SameAs(first));
        Assert.That(_parses, Is.EqualTo(3));
    }

    [Test]
    public void A_reply_that_does_not_parse_is_not_remembered()
    {
        var broken = new RepeatedReply<int>();
        Assert.Throws<CtdbProtocolException>(() => broken.Parse(Ok(9), _ => throw new CtdbProtocolException("short payload")));
        Assert.That(broken.Parse(Ok(9), reply => reply.Data.Length), Is.EqualTo(1), "parsed, not taken from memory");
    }
}
