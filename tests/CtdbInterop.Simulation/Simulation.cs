using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Simulation;

/// <summary>The outcome of one schedule.</summary>
internal sealed record SimulationResult(
    ScheduleConfig Config,
    Violation? Violation,
    TimeSpan VirtualTime,
    long Steps,
    int Recoveries,
    int TakeoverRuns,
    TimeSpan? LeaderAfterHeal,
    TimeSpan? ResignationLatency,
    StockBehaviour Stock,
    string? Timeline)
{
    public bool StockDisturbedHandOver => Stock.DisturbedHandOvers > 0;

    public bool StockPeerStuckInElection => Stock.StuckInElection > 0;

    public int StockPrematureLeaderships => Stock.PrematureLeaderships;
}

/// <summary>
/// Runs one schedule: N real daemons on simulated ctdbd nodes, faults, heal, then the
/// liveness and settle checks; safety invariants are checked after every step.
/// </summary>
internal static class Simulation
{
    /// <summary>Liveness: after the faults stop, one leader all active nodes agree on within this (virtual) time.</summary>
    public static readonly TimeSpan LivenessBound = TimeSpan.FromSeconds(60);

    /// <summary>Settle: after the faults stop, every record's dmaster active and fetches complete within this time.</summary>
    public static readonly TimeSpan SettleBound = TimeSpan.FromSeconds(90);

    /// <summary>After the leader is stopped, banned or loses the role: a new agreed leader within this time (lock mode).</summary>
    public static readonly TimeSpan ResignBoundLock = TimeSpan.FromSeconds(4);

    /// <summary>As <see cref="ResignBoundLock"/> for classic mode (ELECTION exchange plus ElectionTimeout).</summary>
    public static readonly TimeSpan ResignBoundClassic = TimeSpan.FromSeconds(8);

    /// <summary>How long leader agreement and a settled database must hold before a phase counts as done.</summary>
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(1);

    public static SimulationResult Run(ScheduleConfig config, bool timeline = false)
    {
        var scheduler = new SimScheduler();
        var log = new Timeline(timeline);
        var cluster = new SimCluster(scheduler, config, log);
        var monitor = new Monitor(cluster);
        var start = new Random(config.Seed ^ 0x57a7);
        foreach (var node in cluster.Nodes)
        {
            scheduler.At(TimeSpan.FromMilliseconds(start.Next(0, 300)), () => cluster.StartDaemon(node));
        }

        foreach (var fault in config.Faults)
        {
            scheduler.At(fault.At, () => cluster.Apply(fault));
        }

        scheduler.At(config.HealAt, () =>
        {
            cluster.Heal();
            monitor.Begin();
        });
        scheduler.AfterStep = monitor.AfterStep;
        var limit = config.HealAt + SettleBound + SettleBound + TimeSpan.FromSeconds(5);
        scheduler.Run(limit, () => cluster.Violation is not null || monitor.Done);
        if (scheduler.Livelock is { } spin)
        {
            cluster.Fail("livelock", uint.MaxValue, spin);
        }

        if (!monitor.Done && cluster.Violation is null)
        {
            cluster.Fail("settle", uint.MaxValue, $"run ended at {scheduler.Now.TotalSeconds:0.0} s without settling");
        }

        return new SimulationResult(
            config,
            cluster.Violation,
            scheduler.Now,
            scheduler.Steps,
            cluster.Recoveries,
            cluster.TakeoverRuns,
            monitor.LeaderAfterHeal,
            monitor.ResignationLatency,
            new StockBehaviour(
                cluster.StockRecoveriesByInactiveNode,
                cluster.StockPrematureLeaderships,
                monitor.StockDisturbedHandOver ? 1 : 0,
                monitor.StockPeerStuckInElection ? 1 : 0),
            timeline ? log.Render() : null);
    }

    /// <summary>The invariants and the phases after the heal.</summary>
    private sealed class Monitor(SimCluster cluster)
    {
        private readonly SimScheduler _scheduler = cluster.Scheduler;
        private TimeSpan _phaseStart;
        private TimeSpan? _stableSince;
        private uint _oldLeader = CtdbConstants.UnknownPnn;
        private bool _finalApplied;

        public bool Done { get; private set; }

        public TimeSpan? LeaderAfterHeal { get; private set; }

        public TimeSpan? ResignationLatency { get; private set; }

        /// <summary>A stock peer counted as agreeing although it waits in an election that has no timer.</summary>
        public bool StockPeerStuckInElection { get; private set; }

        /// <summary>A stock peer announced leadership mid-election after the leader was taken out.</summary>
        public bool StockDisturbedHandOver { get; private set; }

        public void Begin()
        {
            _phaseStart = _scheduler.Now;
            Tick();
        }

        /// <summary>Safety, after every step: at most one lock believer, no nested election, no foreign thread.</summary>
        public void AfterStep()
        {
            var believers = 0;
            foreach (var node in cluster.Nodes)
            {
                if (node.Daemon is not { IsDead: false } host)
                {
                    continue;
                }

                var daemon = host.Daemon;
                if (host.ElectionOpen && !daemon.ObservedElectionInProgress)
                {
                    host.ElectionOpen = false;
                }

                if (!host.IsStock && daemon.ObservedLockHeld)
                {
                    believers++;
                }
            }

            if (believers > 1)
            {
                cluster.Fail("two-lock-holders", uint.MaxValue, $"{believers} daemons believe they hold the cluster lock");
            }

            if (_scheduler.ForeignPost is { } leak)
            {
                cluster.Fail("determinism", uint.MaxValue, leak);
            }
        }

        private void Tick()
        {
            if (Done || cluster.Violation is not null)
            {
                return;
            }

            var now = _scheduler.Now;
            var leader = AgreedLeader();
            var settled = leader is not null && DatabaseSettled(out _);
            if (!_finalApplied && leader is { } l && LeaderAfterHeal is null)
            {
                LeaderAfterHeal = now - _phaseStart;
            }

            if (_finalApplied && leader is { } n && n != _oldLeader && ResignationLatency is null && !StockDisturbedHandOver)
            {
                ResignationLatency = now - _phaseStart;
            }

            _stableSince = settled ? _stableSince ?? now : null;
            if (_stableSince is { } since && now - since >= Stable)
            {
                var agreed = leader!.Value;
                if (!_finalApplied && cluster.Config.Final != FinalAction.None && CanResignFrom(agreed))
                {
                    _finalApplied = true;
                    _oldLeader = agreed;
                    _phaseStart = now;
                    _stableSince = null;
                    cluster.ApplyFinal(cluster.Config.Final, agreed);
                }
                else
                {
                    Done = true;
                    return;
                }
            }

            CheckBounds(now, leader);
            _scheduler.At(TimeSpan.FromMilliseconds(100), Tick);
        }

        private void CheckBounds(TimeSpan now, uint? leader)
        {
            var elapsed = now - _phaseStart;
            if (_finalApplied && ResignationLatency is null && !StockDisturbedHandOver)
            {
                var bound = cluster.Config.LockMode ? ResignBoundLock : ResignBoundClassic;
                if (elapsed > bound)
                {
                    if (cluster.LastStockPrematureLeadership >= _phaseStart)
                    {
                        // Stock peers that announced themselves mid-election can disagree on the
                        // leader until a leader timeout; the bound is not ours to keep then
                        // (counted; liveness still applies).
                        StockDisturbedHandOver = true;
                    }
                    else
                    {
                        cluster.Fail("resignation", _oldLeader, $"no new leader {bound.TotalSeconds:0} s after the leader was taken out ({cluster.Config.Final}); {Beliefs()}");
                    }
                }
            }
            else if (leader is null && elapsed > LivenessBound)
            {
                cluster.Fail("liveness", uint.MaxValue, $"no leader agreed by all active nodes {LivenessBound.TotalSeconds:0} s after the faults stopped; {Beliefs()}");
            }
            else if (elapsed > SettleBound)
            {
                DatabaseSettled(out var why);
                cluster.Fail("dmaster-fetch", uint.MaxValue, $"not settled {SettleBound.TotalSeconds:0} s after the faults stopped: {why}");
            }
        }

        private bool CanResignFrom(uint leader)
        {
            if (cluster.Nodes[leader].Daemon is not { IsStock: false })
            {
                return false;
            }

            return cluster.Nodes.Any(n => n.Pnn != leader && n.IsActive && n.LeaderRole);
        }

        private string Beliefs() => string.Join(", ", cluster.Nodes.Select(n =>
            n.Daemon is { IsDead: false } h
                ? $"n{n.Pnn}:{(n.IsActive ? "" : "inactive,")}leader={(h.Daemon.ObservedLeader == CtdbConstants.UnknownPnn ? "?" : h.Daemon.ObservedLeader.ToString(System.Globalization.CultureInfo.InvariantCulture))}{(h.Daemon.ObservedElectionInProgress ? ",electing" : "")}{(h.IsStopping ? $",stopping({h.RunTask?.Status})" : "")}"
                : $"n{n.Pnn}:no daemon"));

        /// <summary>
        /// §3.3 "stuck classic peers": a stock 4.22.6 peer that got LEADER {UNKNOWN} but lost the
        /// ELECTION sent with it stays "in election" without a timer for good while broadcasts
        /// keep coming; only another ELECTION frees it. Its leader belief still counts.
        /// </summary>
        private bool IsStockPeerWaitingForElection(SimDaemonHost host) =>
            host.IsStock && !cluster.Config.LockMode && !host.Daemon.ObservedClassicExchangeOpen;

        /// <summary>The leader every active node's daemon agrees on (not electing), if that leader is active and capable.</summary>
        private uint? AgreedLeader()
        {
            uint? agreed = null;
            var anyCapable = false;
            foreach (var node in cluster.Nodes)
            {
                if (!node.IsActive)
                {
                    continue;
                }

                anyCapable |= node.LeaderRole;
                if (node.Daemon is not { IsDead: false } host)
                {
                    return null;
                }

                if (host.Daemon.ObservedElectionInProgress)
                {
                    if (!IsStockPeerWaitingForElection(host))
                    {
                        return null;
                    }

                    StockPeerStuckInElection = true;
                }

                var belief = host.Daemon.ObservedLeader;
                if (agreed is { } a && a != belief)
                {
                    return null;
                }

                agreed = belief;
            }

            if (!anyCapable)
            {
                return CtdbConstants.UnknownPnn;
            }

            return agreed is { } l && l < cluster.Nodes.Length && cluster.Nodes[l].IsActive && cluster.Nodes[l].LeaderRole ? l : null;
        }

        /// <summary>Every active node NORMAL with one generation and the active nodes as vnn map; every record's dmaster active and reachable.</summary>
        private bool DatabaseSettled(out string why)
        {
            var active = cluster.Nodes.Where(n => n.IsActive).ToList();
            why = "";
            if (active.Count == 0)
            {
                return true;
            }

            var generation = active[0].Generation;
            var members = active.Select(n => n.Pnn).ToArray();
            foreach (var node in active)
            {
                if (node.RecoveryMode != CtdbRecoveryMode.Normal)
                {
                    why = $"n{node.Pnn} in recovery mode";
                    return false;
                }

                if (node.Generation != generation || generation == SimNode.InvalidGeneration || !node.VnnMap.Order().SequenceEqual(members))
                {
                    why = $"n{node.Pnn} vnn map [{string.Join(',', node.VnnMap)}] generation {node.Generation}, active [{string.Join(',', members)}]";
                    return false;
                }
            }

            for (var r = 0; r < cluster.Dmaster.Length; r++)
            {
                var dmaster = cluster.Nodes[cluster.Dmaster[r]];
                if (!dmaster.IsActive)
                {
                    why = $"record {r}: dmaster n{dmaster.Pnn} is inactive ({dmaster.OwnFlags}), a fetch would hang";
                    return false;
                }

                foreach (var node in active)
                {
                    if (!cluster.Connected(node.Pnn, dmaster.Pnn))
                    {
                        why = $"record {r}: n{node.Pnn} cannot reach dmaster n{dmaster.Pnn}";
                        return false;
                    }
                }
            }

            return true;
        }
    }
}
