using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Takeover;

namespace CtdbInterop.Recoverd.Tests.Takeover;

[Description("recoverd-behaviours B40-B45")]
public class LocalIpVerificationTests
{
    private const uint Own = 1;
    private const uint Unknown = CtdbConstants.UnknownPnn;

    private static FetchResult<IReadOnlyList<InterfaceInfo>> Ifaces(params InterfaceInfo[] list) => Fetch.Ok<IReadOnlyList<InterfaceInfo>>(list);

    private static FetchResult<IReadOnlyList<PublicIpView>> Available(params PublicIpView[] list) => Fetch.Ok<IReadOnlyList<PublicIpView>>(list);

    private static FetchResult<IReadOnlyList<KnownIpView>> Known(params KnownIpView[] list) => Fetch.Ok<IReadOnlyList<KnownIpView>>(list);

    [Test]
    public void Non_leader_drops_requests_and_disabled_failover_or_runs_skip_the_checks()
    {
        var follower = LocalIpVerification.Begin(isLeader: false, failoverDisabled: false, takeoverRunsDisabled: false, takeoverWorkQueued: true);
        var idleFollower = LocalIpVerification.Begin(isLeader: false, failoverDisabled: false, takeoverRunsDisabled: false, takeoverWorkQueued: false);
        var leader = LocalIpVerification.Begin(true, false, false, true);
        Assert.Multiple(() =>
        {
            Assert.That(follower.Actions.Single<RecdAction.DropTakeoverRequests>(), Is.Not.Null);
            Assert.That(follower.CheckIps, Is.True);
            Assert.That(idleFollower.Actions, Is.Empty, "nothing queued, nothing to drop (issue 7)");
            Assert.That(idleFollower.CheckIps, Is.True);
            Assert.That(leader.Actions, Is.Empty);
            Assert.That(LocalIpVerification.Begin(true, true, false, false).CheckIps, Is.False);
            Assert.That(LocalIpVerification.Begin(true, false, true, false).CheckIps, Is.False);
        });
    }

    [Test]
    public void Interface_detector_reports_first_fetch_count_name_and_link_changes()
    {
        var d = new InterfaceChangeDetector();
        var eth0 = new InterfaceInfo("eth0", 1);

        var first = d.Observe(Ifaces(eth0), Own);
        var same = d.Observe(Ifaces(eth0), Own);
        var count = d.Observe(Ifaces(eth0, new InterfaceInfo("eth1", 1)), Own);
        var name = d.Observe(Ifaces(eth0, new InterfaceInfo("eth2", 1)), Own);
        var link = d.Observe(Ifaces(eth0 with { LinkState = 0 }, new InterfaceInfo("eth2", 1)), Own);
        var failed = d.Observe(Fetch.Failed<IReadOnlyList<InterfaceInfo>>(), Own);

        Assert.Multiple(() =>
        {
            Assert.That(first.Logs.Texts(), Is.EqualTo(Expect.Lines("Initial interface fetched")));
            Assert.That(same, Is.EqualTo(IpCheck.Fine));
            Assert.That(count.Logs.Texts(), Is.EqualTo(Expect.Lines("Interface count changed from 1 to 2")));
            Assert.That(name.Logs.Texts(), Is.EqualTo(Expect.Lines("Interface in slot 1 changed: eth1 => eth2")));
            Assert.That(link.Logs.Texts(), Is.EqualTo(Expect.Lines("Interface eth0 changed state: 1 => 0")));
            Assert.That(failed.NeedsTakeoverRun, Is.True);
            Assert.That(failed.Logs.Texts(), Is.EqualTo(Expect.Lines("Unable to get interfaces from local node 1")));
        });
    }

    [Test]
    public void Unassigned_ip_triggers_only_on_a_node_with_flags_0()
    {
        var ips = Available(new PublicIpView("10.0.0.5", Unknown), new PublicIpView("10.0.0.6", 0));

        var healthy = LocalIpVerification.Evaluate(IpCheck.Fine, ips, null, 0, Own);
        var unhealthy = LocalIpVerification.Evaluate(IpCheck.Fine, ips, null, NodeFlags.Unhealthy, Own);

        Assert.Multiple(() =>
        {
            Assert.That(healthy.LogTexts(), Is.EqualTo(Expect.Lines("Unassigned IP 10.0.0.5 can be served by this node", "Trigger takeoverrun")));
            Assert.That(healthy.Single<RecdAction.SendTakeoverRunRequest>().OwnPnn, Is.EqualTo(Own));
            Assert.That(unhealthy, Is.Empty);
        });
    }

    [Test]
    public void Address_presence_mismatches_trigger_a_run()
    {
        var known = Known(
            new KnownIpView("10.0.0.1", Own, PresentOnInterface: false),
            new KnownIpView("10.0.0.2", 0, PresentOnInterface: true),
            new KnownIpView("10.0.0.3", Unknown, PresentOnInterface: true),
            new KnownIpView("10.0.0.4", Own, PresentOnInterface: true));

        var actions = LocalIpVerification.Evaluate(IpCheck.Fine, Available(), known, 0, Own);

        Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines(
            "Assigned IP 10.0.0.1 not on an interface",
            "IP 10.0.0.2 incorrectly on an interface",
            "IP 10.0.0.3 incorrectly on an interface",
            "Trigger takeoverrun")));
    }

    [Test]
    public void Failed_ip_reads_stop_without_a_trigger_even_after_an_interface_change()
    {
        var changed = new IpCheck(true, [Core.Logging.LogLine.Notice("Initial interface fetched")]);

        var noAvailable = LocalIpVerification.Evaluate(changed, Fetch.Failed<IReadOnlyList<PublicIpView>>(), null, 0, Own);
        var noKnown = LocalIpVerification.Evaluate(changed, Available(), Fetch.Failed<IReadOnlyList<KnownIpView>>(), 0, Own);

        Assert.Multiple(() =>
        {
            Assert.That(noAvailable.LogTexts(), Is.EqualTo(Expect.Lines("Initial interface fetched", "Unable to retrieve available public IPs")));
            Assert.That(noKnown.LogTexts(), Is.EqualTo(Expect.Lines("Initial interface fetched", "Unable to retrieve known public IPs")));
            Assert.That(noAvailable.Concat(noKnown).OfType<RecdAction.SendTakeoverRunRequest>(), Is.Empty);
        });
    }

    [Test]
    public void Interface_change_alone_triggers_a_run()
    {
        var changed = new IpCheck(true, [Core.Logging.LogLine.Notice("Interface count changed from 1 to 2")]);
        var actions = LocalIpVerification.Evaluate(changed, Available(), Known(), 0, Own);
        Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Interface count changed from 1 to 2", "Trigger takeoverrun")));
    }

    [Test]
    public void Nothing_wrong_means_nothing_to_do()
    {
        var actions = LocalIpVerification.Evaluate(IpCheck.Fine, Available(new PublicIpView("10.0.0.1", 0)), Known(new KnownIpView("10.0.0.1", 0, false)), 0, Own);
        Assert.That(actions, Is.Empty);
    }
}
