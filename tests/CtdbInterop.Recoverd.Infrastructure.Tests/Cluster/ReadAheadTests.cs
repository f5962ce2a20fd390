using System.Collections.Immutable;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Cluster;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Takeover;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Cluster;

[Description("issue 7: reads sent ahead with the local round stand in for later reads only when nothing could have changed them")]
public class ReadAheadTests
{
    private static readonly uint[] Nodes = [0, 1, 2];
    private static readonly ReadAheadPlan Plan = new(Nodes, IpState: true, IncludeKnownIps: true);

    private readonly SteppingClock _clock = new();
    private long _actions = 7;

    private static Task<IReadOnlyDictionary<uint, CtdbCapabilities>?> Answered(params uint[] nodes) =>
        Task.FromResult<IReadOnlyDictionary<uint, CtdbCapabilities>?>(nodes.ToDictionary(n => n, _ => CtdbCapabilities.Recmaster));

    private static Task<IpStateReads> IpReads(bool knownRead = true, bool interfacesRead = true)
    {
        var interfaces = interfacesRead ? Fetch.Ok<IReadOnlyList<InterfaceInfo>>([]) : Fetch.Failed<IReadOnlyList<InterfaceInfo>>();
        var available = Fetch.Ok<IReadOnlyList<PublicIpView>>([]);
        var known = Fetch.Ok(new PublicIpList(ImmutableArray<PublicIp>.Empty));
        return Task.FromResult(new IpStateReads(interfaces, available, knownRead ? known : Fetch.Failed<PublicIpList>()));
    }

    private static readonly LeaderReadTargets LeaderTargets = new(0, [1, 2], Nodes, [1, 2]);

    private static Task<LeaderStateReads> LeaderReads(bool remoteModeRead = true)
    {
        var map = Fetch.Ok(NodeMapView.FromFlags(0, 0, 0));
        var vnn = Fetch.Ok(new VnnMapView(5, Nodes));
        var mode = Fetch.Ok(CtdbRecoveryMode.Normal);
        return Task.FromResult(new LeaderStateReads(
            new Dictionary<uint, FetchResult<NodeMapView>> { [1] = map, [2] = map },
            vnn,
            new Dictionary<uint, FetchResult<CtdbRecoveryMode>> { [0] = mode, [1] = mode, [2] = remoteModeRead ? mode : Fetch.Failed<CtdbRecoveryMode>() },
            new Dictionary<uint, FetchResult<VnnMapView>> { [1] = vnn, [2] = vnn }));
    }

    private ReadAhead Sent(Task<IReadOnlyDictionary<uint, CtdbCapabilities>?>? capabilities, Task<IpStateReads>? ipState, Task<LeaderStateReads>? leaderState = null) =>
        new(Plan with { LeaderReads = leaderState is null ? null : LeaderTargets }, _actions, capabilities, ipState, leaderState, _clock, _clock.GetTimestamp());

    [Test]
    public async Task Capabilities_of_the_same_nodes_with_nothing_executed_since_are_used()
    {
        var used = await Sent(Answered(Nodes), null).CapabilitiesForAsync(Nodes, () => _actions);

        Assert.That(used, Is.Not.Null);
        Assert.That(used!.Keys, Is.EquivalentTo(Nodes));
    }

    [Test]
    public async Task Capabilities_of_other_nodes_are_read_again()
    {
        var ahead = Sent(Answered(Nodes), null);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await ahead.CapabilitiesForAsync([0, 1], () => _actions), Is.Null);
            Assert.That(await ahead.CapabilitiesForAsync([0, 2, 1], () => _actions), Is.Null);
        });
    }

    [Test]
    public async Task An_action_executed_before_or_while_waiting_makes_the_reads_stale()
    {
        Assert.That(await Sent(Answered(Nodes), IpReads()).CapabilitiesForAsync(Nodes, () => _actions + 1), Is.Null);

        var pending = new TaskCompletionSource<IReadOnlyDictionary<uint, CtdbCapabilities>?>();
        var ahead = Sent(pending.Task, null);
        var use = ahead.CapabilitiesForAsync(Nodes, () => _actions);
        _actions++; // e.g. a message handled while the reply was on its way executed an action
        pending.SetResult(await Answered(Nodes));

        Assert.That(await use, Is.Null);
    }

    [Test]
    public async Task A_node_that_did_not_answer_or_a_failed_round_means_reading_again_without_throwing()
    {
        var oneMissing = Task.FromResult<IReadOnlyDictionary<uint, CtdbCapabilities>?>(null);
        var lost = Task.FromException<IReadOnlyDictionary<uint, CtdbCapabilities>?>(new CtdbConnectionLostException("ctdbd went away"));
        var cancelled = Task.FromCanceled<IReadOnlyDictionary<uint, CtdbCapabilities>?>(new CancellationToken(canceled: true));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Sent(oneMissing, null).CapabilitiesForAsync(Nodes, () => _actions), Is.Null);
            Assert.That(await Sent(lost, null).CapabilitiesForAsync(Nodes, () => _actions), Is.Null);
            Assert.That(await Sent(cancelled, null).CapabilitiesForAsync(Nodes, () => _actions), Is.Null);
            Assert.That(await Sent(null, null).CapabilitiesForAsync(Nodes, () => _actions), Is.Null);
        });
    }

    [Test]
    public async Task Ip_reads_are_used_only_when_every_read_succeeded_as_asked()
    {
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Sent(null, IpReads()).IpStateAsync(includeKnown: true, () => _actions), Is.Not.Null);
            Assert.That(await Sent(null, IpReads(knownRead: false)).IpStateAsync(includeKnown: true, () => _actions), Is.Null);
            Assert.That(await Sent(null, IpReads(interfacesRead: false)).IpStateAsync(includeKnown: true, () => _actions), Is.Null);
            Assert.That(await Sent(null, IpReads()).IpStateAsync(includeKnown: false, () => _actions), Is.Null, "a plan for the other B44 setting");
            Assert.That(await Sent(null, IpReads()).IpStateAsync(includeKnown: true, () => _actions + 1), Is.Null, "an action ran since");
            Assert.That(await Sent(null, Task.FromException<IpStateReads>(new CtdbConnectionLostException("gone"))).IpStateAsync(includeKnown: true, () => _actions), Is.Null);
            Assert.That(await Sent(Answered(Nodes), null).IpStateAsync(includeKnown: true, () => _actions), Is.Null, "not read ahead");
        });
    }

    [Test]
    public async Task The_leaders_reads_are_used_for_the_same_targets_when_every_node_answered()
    {
        var copy = new LeaderReadTargets(0, [1, 2], [0, 1, 2], [1, 2]);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Sent(null, null, LeaderReads()).LeaderStateForAsync(copy, () => _actions), Is.Not.Null, "equal lists, other instances");
            Assert.That(await Sent(null, null, LeaderReads(remoteModeRead: false)).LeaderStateForAsync(copy, () => _actions), Is.Null, "node 2's recovery mode failed");
            Assert.That(await Sent(null, null, LeaderReads()).LeaderStateForAsync(copy with { ConnectedOthers = [1] }, () => _actions), Is.Null, "node 2 disconnected since");
            Assert.That(await Sent(null, null, LeaderReads()).LeaderStateForAsync(copy, () => _actions + 1), Is.Null, "an action ran since");
            Assert.That(await Sent(null, null, null).LeaderStateForAsync(copy, () => _actions), Is.Null, "not read ahead (not leader last time)");
        });
    }

    [Test]
    [Description("found when the broadcast tick began to share the main loop's wake-up: the leader's own broadcast, sent between its reads, threw away every read ahead")]
    public void The_leader_broadcast_and_memory_only_actions_leave_reads_ahead_standing_and_the_rest_do_not()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ReadAhead.Stales(new RecdAction.BroadcastLeader(0)), Is.False, "B14's tick");
            Assert.That(ReadAhead.Stales(new RecdAction.BroadcastLeader(CtdbConstants.UnknownPnn)), Is.False);
            Assert.That(ReadAhead.Stales(new RecdAction.CancelQueuedLeaderBroadcasts()), Is.False);
            Assert.That(ReadAhead.Stales(new RecdAction.DropTakeoverRequests()), Is.False);
            Assert.That(ReadAhead.Stales(new RecdAction.ReloadNodeList()), Is.True);
            Assert.That(ReadAhead.Stales(new RecdAction.BroadcastElection(new ElectionData(3, default, 0, 0))), Is.True, "an election changes who leads");
        });
    }

    [Test]
    [Description("found by the bug 16082 integration test: reads sent ahead before a 1 s stall of a peer were used after it, so a leader stopped meanwhile never decided the recovery its guard must refuse")]
    public async Task Reads_the_iteration_reaches_later_than_their_maximum_age_are_read_again()
    {
        var pending = new TaskCompletionSource<IReadOnlyDictionary<uint, CtdbCapabilities>?>();
        var ahead = Sent(pending.Task, IpReads(), LeaderReads());
        var capabilities = ahead.CapabilitiesForAsync(Nodes, () => _actions);
        _clock.Advance(ReadAhead.MaxAge + TimeSpan.FromMilliseconds(1)); // a stalled peer
        pending.SetResult(await Answered(Nodes));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await capabilities, Is.Null);
            Assert.That(await ahead.IpStateAsync(includeKnown: true, () => _actions), Is.Null);
            Assert.That(await ahead.LeaderStateForAsync(LeaderTargets, () => _actions), Is.Null);
        });
    }

    [Test]
    public async Task Reads_reached_within_their_maximum_age_are_used()
    {
        var ahead = Sent(Answered(Nodes), IpReads());
        _clock.Advance(ReadAhead.MaxAge);

        Assert.That(await ahead.CapabilitiesForAsync(Nodes, () => _actions), Is.Not.Null);
    }

    [Test]
    [Description("issue 7: an idle iteration takes reads answered before it started without an await, under the same rules as the waiting accessors")]
    public void Answered_reads_are_taken_without_waiting_under_the_same_rules()
    {
        var pending = new TaskCompletionSource<IReadOnlyDictionary<uint, CtdbCapabilities>?>();
        var copy = new LeaderReadTargets(0, [1, 2], [0, 1, 2], [1, 2]);
        var answered = Sent(Answered(Nodes), IpReads(), LeaderReads());

        Assert.Multiple(() =>
        {
            Assert.That(answered.CapabilitiesNow(Nodes, _actions)!.Keys, Is.EquivalentTo(Nodes));
            Assert.That(answered.IpStateNow(includeKnown: true, _actions), Is.Not.Null);
            Assert.That(answered.LeaderStateNow(copy, _actions), Is.Not.Null, "equal lists, other instances");

            Assert.That(Sent(pending.Task, null).CapabilitiesNow(Nodes, _actions), Is.Null, "not answered yet: the caller waits");
            Assert.That(answered.CapabilitiesNow([0, 1], _actions), Is.Null, "other nodes");
            Assert.That(answered.CapabilitiesNow(Nodes, _actions + 1), Is.Null, "an action ran since");
            Assert.That(Sent(Task.FromResult<IReadOnlyDictionary<uint, CtdbCapabilities>?>(null), null)
                .CapabilitiesNow(Nodes, _actions), Is.Null, "a node did not answer (B24: all or nothing)");
            Assert.That(Sent(null, IpReads(knownRead: false)).IpStateNow(includeKnown: true, _actions), Is.Null, "a failed read");
            Assert.That(answered.IpStateNow(includeKnown: false, _actions), Is.Null, "a plan for the other B44 setting");
            Assert.That(Sent(null, Task.FromException<IpStateReads>(new CtdbConnectionLostException("gone"))).IpStateNow(includeKnown: true, _actions), Is.Null);
            Assert.That(Sent(null, null, LeaderReads(remoteModeRead: false)).LeaderStateNow(copy, _actions), Is.Null, "node 2's recovery mode failed");
            Assert.That(answered.LeaderStateNow(copy with { ConnectedOthers = [1] }, _actions), Is.Null, "node 2 disconnected since");
        });

        _clock.Advance(ReadAhead.MaxAge + TimeSpan.FromMilliseconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(answered.CapabilitiesNow(Nodes, _actions), Is.Null, "older than the maximum age");
            Assert.That(answered.IpStateNow(includeKnown: true, _actions), Is.Null);
            Assert.That(answered.LeaderStateNow(copy, _actions), Is.Null);
        });
    }

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
