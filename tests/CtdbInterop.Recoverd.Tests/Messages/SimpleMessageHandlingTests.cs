using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.Messages;
using CtdbInterop.Recoverd.Core.Recovery;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Messages;

[Description("recoverd-behaviours B72, B95, B96; RELEASE_IP (ours)")]
public class SimpleMessageHandlingTests
{
    [Test]
    public void Banning_report_gives_map_size_credits_on_the_leader_only()
    {
        var culprits = new CulpritTable();
        SimpleMessageHandling.Banning(2, isLeader: false, culprits, HealthyMap(4), 0, S(0), RecdTunables.Defaults);
        SimpleMessageHandling.Banning(2, isLeader: true, culprits, HealthyMap(4), 0, S(0), RecdTunables.Defaults);

        Assert.That(culprits.CreditsOf(2), Is.EqualTo(4u));
    }

    [Test]
    public void Fixed_lines_and_reload()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SimpleMessageHandling.ObsoleteSetNodeFlags().Text, Is.EqualTo("SRVID CTDB_SRVID_SET_NODE_FLAGS (0xf400000000000000) is obsolete"));
            Assert.That(SimpleMessageHandling.BanningWrongSize(3).Text, Is.EqualTo("invalid data size 3"));
            Assert.That(SimpleMessageHandling.ReloadNodes().WithoutLogs().Single(), Is.InstanceOf<RecdAction.ReloadNodeList>());
        });
    }

    [Test]
    public void Released_address_is_logged_at_info_as_printable_text_of_bounded_length()
    {
        var plain = SimpleMessageHandling.AddressReleased("192.168.100.1");
        var garbled = SimpleMessageHandling.AddressReleased("10.0.0.1\n\u001b[31m" + new string('x', 200));

        Assert.Multiple(() =>
        {
            Assert.That(plain.Level, Is.EqualTo(RecdLogLevel.Info), "takeover runs release addresses too: not for the default log level");
            Assert.That(plain.Text, Is.EqualTo("Public address 192.168.100.1 released on this node, checking the node's state now"));
            Assert.That(garbled.Text, Does.Not.Contain("\n").And.Not.Contain("\u001b"));
            Assert.That(garbled.Text, Does.StartWith("Public address 10.0.0.1??[31mxxx"));
            Assert.That(garbled.Text.Count(c => c == 'x'), Is.EqualTo(64 - "10.0.0.1??[31m".Length));
        });
    }
}
