using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Cluster;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Cluster;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[Description("issue 7: an iteration's requests are built again only when their targets changed")]
public class IterationRequestsTests
{
    private readonly IterationRequests _requests = new();

    [Test]
    public void The_local_round_is_the_same_array_for_the_same_node_and_asks_for_that_nodes_map()
    {
        var first = _requests.LocalState(2);
        var again = _requests.LocalState(2);

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.SameAs(first));
            Assert.That(first.Select(r => r.Opcode), Is.EqualTo(new[]
            {
                CtdbControl.RecdPing, CtdbControl.GetDebug, CtdbControl.GetAllTunables,
                CtdbControl.GetRunstate, CtdbControl.GetNodemap, CtdbControl.GetRecmode,
            }));
            Assert.That(first[4].DestNode, Is.EqualTo(2u));
            Assert.That(_requests.LocalState(1)[4].DestNode, Is.EqualTo(1u));
        });
    }

    [Test]
    public void Capabilities_are_asked_of_the_nodes_in_order_and_reused_for_an_equal_list()
    {
        var first = _requests.Capabilities([0, 1, 2]);
        var equal = _requests.Capabilities(new List<uint> { 0, 1, 2 });
        var fewer = _requests.Capabilities([0, 2]);

        Assert.Multiple(() =>
        {
            Assert.That(equal, Is.SameAs(first));
            Assert.That(first.Select(r => (r.Opcode, r.DestNode)), Is.EqualTo(new[]
            {
                (CtdbControl.GetCapabilities, 0u), (CtdbControl.GetCapabilities, 1u), (CtdbControl.GetCapabilities, 2u),
            }));
            Assert.That(fewer.Select(r => r.DestNode), Is.EqualTo(new uint[] { 0, 2 }));
        });
    }

    [Test]
    public void The_leaders_round_keeps_the_order_the_parse_relies_on_and_is_rebuilt_for_other_targets()
    {
        var targets = new LeaderReadTargets(0, [1, 2], [0, 1, 2], [1, 2]);
        var first = _requests.LeaderState(targets);
        var again = _requests.LeaderState(targets);
        var other = _requests.LeaderState(new LeaderReadTargets(0, [1], [0, 1], [1]));

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.SameAs(first));
            Assert.That(first.Select(r => (r.Opcode, r.DestNode)), Is.EqualTo(new[]
            {
                (CtdbControl.GetNodemap, 1u), (CtdbControl.GetNodemap, 2u),
                (CtdbControl.Getvnnmap, 0u),
                (CtdbControl.GetRecmode, 0u), (CtdbControl.GetRecmode, 1u), (CtdbControl.GetRecmode, 2u),
                (CtdbControl.Getvnnmap, 1u), (CtdbControl.Getvnnmap, 2u),
            }));
            Assert.That(other, Has.Length.EqualTo(5));
        });
    }

    [Test]
    public void The_ip_rounds_ask_for_all_known_addresses_only_when_told_to()
    {
        Assert.Multiple(() =>
        {
            Assert.That(IterationRequests.IpState(true).Select(r => r.Opcode), Is.EqualTo(new[] { CtdbControl.GetIfaces, CtdbControl.GetPublicIps, CtdbControl.GetPublicIps }));
            Assert.That(IterationRequests.IpState(false).Select(r => r.Opcode), Is.EqualTo(new[] { CtdbControl.GetIfaces, CtdbControl.GetPublicIps }));
        });
    }
}
