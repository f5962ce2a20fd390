using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Messages;
using CtdbInterop.Recoverd.Core.Recovery;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Messages;

[Description("recoverd-behaviours B72, B95, B96")]
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
}
