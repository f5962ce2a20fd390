using System.Net;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

public class SockAddrTests
{
    [Test]
    public void IPv4_round_trips_with_port()
    {
        var endPoint = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 4379);
        var bytes = new byte[SockAddr.Size];
        SockAddr.Push(endPoint, bytes);

        Assert.That(SockAddr.Pull(bytes, out var consumed), Is.EqualTo(endPoint));
        Assert.That(consumed, Is.EqualTo(28));
    }

    [Test]
    public void IPv6_keeps_scope_id()
    {
        var endPoint = new IPEndPoint(IPAddress.Parse("fe80::1%7"), 1);
        var bytes = new byte[SockAddr.Size];
        SockAddr.Push(endPoint, bytes);

        var pulled = SockAddr.Pull(bytes, out _);

        Assert.That(pulled, Is.EqualTo(endPoint));
        Assert.That(pulled.Address.ScopeId, Is.EqualTo(7));
    }

    [Test]
    public void IPv4_filler_bytes_are_ignored_when_reading()
    {
        var bytes = Convert.FromHexString("0200111b7f000001" + "ffffffffffffffff" + "ffffffffffffffffffffffff");

        Assert.That(SockAddr.Pull(bytes, out _), Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 4379)));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(0x0a00)]
    public void Unknown_families_are_rejected(int family)
    {
        var bytes = new byte[SockAddr.Size];
        bytes[0] = (byte)family;
        bytes[1] = (byte)(family >> 8);

        var ex = Assert.Throws<CtdbProtocolException>(() => SockAddr.Pull(bytes, out _));
        Assert.That(ex!.Message, Does.Contain($"family {family}"));
    }

    [Test]
    public void Truncated_address_is_rejected_for_both_families()
    {
        foreach (var hex in new[] { "0200111b7f000001", "0a00111b00000000fd00" })
        {
            var bytes = Convert.FromHexString(hex);
            Assert.That(() => SockAddr.Pull(bytes, out _), Throws.TypeOf<CtdbProtocolException>().With.Message.Contains("truncated"), hex);
        }
    }
}
