using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;

namespace CtdbInterop.Recoverd.Tests.Support;

/// <summary>
/// A tiny deterministic cluster of <see cref="LeaderElection"/> machines fed each other's
/// actions: broadcasts are delivered FIFO with zero latency (self included), recovery-mode
/// rounds succeed at once, one shared lock file answers mutex helpers after
/// <see cref="LockLatency"/>, and every node's main loop runs B14/B15 once a second.
/// Virtual time only; the issue-5 simulator will grow from this.
/// </summary>
internal sealed class ElectionCluster
{
    private readonly Queue<(int Node, Func<IReadOnlyList<RecdAction>> Deliver)> _deliveries = new();
    private readonly List<(TimeSpan At, int Node, long Attempt)> _lockAnswers = [];
    private TimeSpan _nextLoopTick = TimeSpan.Zero;

    public ElectionCluster(int count, string? lockString = null, DecisionOptions? options = null, Func<int, WallTime>? priority = null)
    {
        Nodes = Enumerable.Range(0, count)
            .Select(i => new Member(
                new LeaderElection(new RecdConfig((uint)i, lockString), options),
                priority?.Invoke(i) ?? Build.Wall(i)))
            .ToArray();
    }

    public Member[] Nodes { get; }

    public TimeSpan Now { get; private set; }

    public TimeSpan LockLatency { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Who holds the lock file: (node, attempt), or null.</summary>
    public (int Node, long Attempt)? LockOwner { get; private set; }

    /// <summary>How many mutex helpers each node has running at most at once (rule 12 says 1).</summary>
    public int[] MaxConcurrentHelpers => Nodes.Select(n => n.MaxHelpers).ToArray();

    public NodeMapView Map => NodeMapView.FromFlags(Nodes.Select(n => n.Flags).ToArray());

    public NodeView ViewOf(int i) => new(
        Nodes[i].Flags, Nodes[i].Caps, Nodes[i].Priority, Build.Wall(100 + Now.TotalSeconds), Map, Nodes.Length, RecdTunables.Defaults);

    /// <summary>Runs everything due up to <paramref name="until"/>, in time order.</summary>
    public void RunUntil(TimeSpan until)
    {
        for (var guard = 0; guard < 100_000; guard++)
        {
            Drain();
            var next = NextEvent();
            if (next is not { } at || at > until)
            {
                Now = until;
                return;
            }

            Now = at;
            FireDue();
        }

        Assert.Fail("the cluster did not settle");
    }

    /// <summary>Delivers one message to one node now (for scripted scenarios).</summary>
    public void Inject(int node, Func<LeaderElection, NodeView, IReadOnlyList<RecdAction>> input)
    {
        Execute(node, input(Nodes[node].Election, ViewOf(node)));
        Drain();
    }

    private TimeSpan? NextEvent()
    {
        var candidates = Nodes.Select(n => n.Election.NextDeadline)
            .Concat(_lockAnswers.Select(a => (TimeSpan?)a.At))
            .Append(_nextLoopTick)
            .Where(t => t is not null)
            .Select(t => t!.Value)
            .ToArray();
        return candidates.Length == 0 ? null : candidates.Min();
    }

    private void FireDue()
    {
        foreach (var answer in _lockAnswers.Where(a => a.At <= Now).OrderBy(a => a.At).ToArray())
        {
            _lockAnswers.Remove(answer);
            byte status;
            if (LockOwner is null)
            {
                LockOwner = (answer.Node, answer.Attempt);
                status = (byte)'0';
            }
            else
            {
                status = (byte)'1';
                Nodes[answer.Node].Helpers.Remove(answer.Attempt);
            }

            Execute(answer.Node, Nodes[answer.Node].Election.OnLockHelperAnswered(answer.Attempt, status, Now, ViewOf(answer.Node)));
            Drain();
        }

        for (var i = 0; i < Nodes.Length; i++)
        {
            Execute(i, Nodes[i].Election.OnTimersDue(Now, ViewOf(i)));
            Drain();
        }

        if (_nextLoopTick <= Now)
        {
            _nextLoopTick = Now + TimeSpan.FromSeconds(1);
            for (var i = 0; i < Nodes.Length; i++)
            {
                var election = Nodes[i].Election;
                if (!election.IsElectionInProgress)
                {
                    election.EnsureBroadcastLoop(Now);
                    election.EnsureLeaderTimeout(Now);
                }
            }
        }
    }

    private void Drain()
    {
        for (var guard = 0; _deliveries.Count > 0; guard++)
        {
            Assert.That(guard, Is.LessThan(100_000), "message storm");
            var (node, deliver) = _deliveries.Dequeue();
            Execute(node, deliver());
        }
    }

    private void Execute(int from, IReadOnlyList<RecdAction> actions)
    {
        var member = Nodes[from];
        foreach (var action in actions)
        {
            member.Actions.Add((Now, action));
            switch (action)
            {
                case RecdAction.BroadcastLeader leader:
                    for (var to = 0; to < Nodes.Length; to++)
                    {
                        var target = to;
                        if (Nodes[target].Flags.IsConnected())
                        {
                            _deliveries.Enqueue((target, () => Nodes[target].Election.OnLeaderBroadcast(leader.Pnn, Now, ViewOf(target))));
                        }
                    }

                    break;

                case RecdAction.BroadcastElection election:
                    for (var to = 0; to < Nodes.Length; to++)
                    {
                        var target = to;
                        _deliveries.Enqueue((target, () => Nodes[target].Election.OnElectionMessage(election.Data, Now, ViewOf(target))));
                    }

                    break;

                case RecdAction.SetRecoveryModeActive { ResultTicket: { } ticket }:
                    _deliveries.Enqueue((from, () => member.Election.OnRecoveryModeActivated(ticket, true, Now, ViewOf(from))));
                    break;

                case RecdAction.TakeClusterLock take:
                    member.Helpers.Add(take.AttemptId);
                    member.MaxHelpers = Math.Max(member.MaxHelpers, member.Helpers.Count);
                    _lockAnswers.Add((Now + LockLatency, from, take.AttemptId));
                    break;

                case RecdAction.TerminateLockHelper stop:
                    member.Helpers.Remove(stop.AttemptId);
                    _lockAnswers.RemoveAll(a => a.Node == from && a.Attempt == stop.AttemptId);
                    if (LockOwner == (from, stop.AttemptId))
                    {
                        LockOwner = null;
                    }

                    break;
            }
        }
    }

    internal sealed class Member(LeaderElection election, WallTime priority)
    {
        public LeaderElection Election { get; } = election;

        public WallTime Priority { get; set; } = priority;

        public NodeFlags Flags { get; set; }

        public CtdbCapabilities Caps { get; set; } = Build.DefaultCaps;

        public List<(TimeSpan At, RecdAction Action)> Actions { get; } = [];

        public HashSet<long> Helpers { get; } = [];

        public int MaxHelpers { get; set; }

        public IReadOnlyList<string> LogTexts => Actions.Select(a => a.Action).LogTexts();

        public int Count<T>()
            where T : RecdAction => Actions.Count(a => a.Action is T);
    }
}
