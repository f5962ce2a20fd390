namespace CtdbInterop.Simulation.Tests;

/// <summary>
/// Seeds that once failed, pinned with the generation options they failed under (the fault
/// phase was 20 s then). Each names what it found.
/// </summary>
[TestFixture]
public sealed class RegressionTests
{
    private static readonly GenerationOptions FirstGenerator = new() { FaultPhase = TimeSpan.FromSeconds(20) };

    /// <summary>
    /// Seed 1: the recovery helper's watch loop awaited Task.WhenAny(helper, Task.Delay(1 s));
    /// Task.Delay completes its WhenAny on the thread pool, so the leader's main loop resumed
    /// through a thread-pool hop (caught by the determinism check; the leader's loop then stalled
    /// after its first recovery and it never resigned when it lost the leader role).
    /// Fixed by WaitForHelperAsync.
    /// </summary>
    [Test]
    public void Seed_1_helper_watch_resumes_on_the_daemon_thread()
    {
        var result = Simulation.Run(ScheduleConfig.Generate(1, FirstGenerator));
        Assert.That(result.Violation, Is.Null);
        Assert.That(result.ResignationLatency, Is.LessThan(Simulation.ResignBoundLock));
    }

    /// <summary>
    /// Seed 210: SIGTERM while the leader's recovery helper ran. A contended, cancellable
    /// SemaphoreSlim wait (the action lock) and the helper kill via CancelAsync resumed on the
    /// thread pool; the stopping daemon never finished its shutdown and kept the cluster lock,
    /// so no other node could lead. Fixed by AsyncMutex and Cancel().
    /// </summary>
    [Test]
    public void Seed_210_sigterm_during_a_recovery_releases_the_lock()
    {
        var result = Simulation.Run(ScheduleConfig.Generate(210, FirstGenerator));
        Assert.That(result.Violation, Is.Null);
        Assert.That(result.LeaderAfterHeal, Is.Not.Null);
    }

    /// <summary>
    /// Seed 1920: a stopped lock holder's mutex helper died while a MODIFY_FLAGS round to a slow
    /// peer held the action lock; the exit's decision waited behind it, so the node still believed
    /// it held the lock after another node had taken it (two-lock-holders). Fixed: the exit ends
    /// the belief at once (LeaderElection.OnLockHelperGone, phase Lost); the forced election
    /// follows in turn. Unit test: ClusterLockHelperExitTests.
    /// </summary>
    [Test]
    public void Seed_1920_a_lost_lock_is_not_believed_held_while_an_action_runs()
    {
        var result = Simulation.Run(ScheduleConfig.Generate(1920));
        Assert.That(result.Violation, Is.Null);
    }

    /// <summary>
    /// Seeds 3147, 4513, 5748, 9418: a lock attempt answered '1' (contention); its helper was told
    /// to exit, and an UNKNOWN broadcast arriving before that exit started a new attempt, so the
    /// shell refused a second helper ("Cluster mutex helper still running", nested-election).
    /// Fixed: a terminated helper counts until its exit (phase Releasing); a race asked for
    /// meanwhile starts at the exit. Unit test: ClusterLockHelperExitTests.
    /// </summary>
    [TestCase(3147)]
    [TestCase(4513)]
    [TestCase(5748)]
    [TestCase(9418)]
    public void A_new_lock_attempt_waits_for_the_previous_helper_to_exit(int seed)
    {
        var result = Simulation.Run(ScheduleConfig.Generate(seed));
        Assert.That(result.Violation, Is.Null);
    }

    /// <summary>
    /// Seed 498 (classic mode): a leader stopped while its loop waited on a slow peer had missed
    /// its own broadcasts; its broadcast loop resigned (LEADER UNKNOWN) and, in the same
    /// decision, its already-due leader timeout started an election that broadcast UNKNOWN again
    /// (nested-election). Fixed: a resignation arms the leader timeout afresh, and one decided
    /// while an election runs sends no second UNKNOWN. Unit tests: ResignationPlanTests.
    /// </summary>
    [Test]
    public void Seed_498_a_resignation_is_not_followed_by_a_second_unknown()
    {
        var result = Simulation.Run(ScheduleConfig.Generate(498));
        Assert.That(result.Violation, Is.Null);
    }

    /// <summary>
    /// Seed 9808 (classic mode, `setleaderrole off` on the leader): the resigner's leader timeout,
    /// armed by its own UNKNOWN echo, ran out 0.5 s after the election it joined had ended and
    /// before the winner's first broadcast, so it started another election; no leader within the
    /// hand-over bound (resignation). Fixed: the end of a classic election arms the leader
    /// timeout afresh. Unit test: DeterminismTests.
    /// </summary>
    [Test]
    public void Seed_9808_the_election_end_gives_the_winner_a_full_leader_timeout()
    {
        var result = Simulation.Run(ScheduleConfig.Generate(9808));
        Assert.That(result.Violation, Is.Null);
        Assert.That(result.ResignationLatency, Is.Not.Null.And.LessThan(Simulation.ResignBoundClassic));
    }

    /// <summary>
    /// Seeds 83025 (classic) and 106958 (lock mode), two stock 4.22.6 peers each, from the first
    /// 1,000,000-seed run: after our leader resigned, a stock peer announced itself leader while
    /// its own election was open (classic "assume we win" plus the 1 s loop; a pending lock
    /// attempt taken for held, bug 16152) and the stock peers disagreed on the leader past the
    /// hand-over bound. Not our daemon's decision: the simulator now counts such hand-overs
    /// (StockDisturbedHandOver) instead of failing them; liveness still applies. (Seed 83025's
    /// schedule changed with the classic-exchange fix below and no longer meets the glitch.)
    /// </summary>
    [TestCase(83025, false)]
    [TestCase(106958, true)]
    public void Stock_peers_announcing_themselves_mid_election_are_counted_not_failed(int seed, bool disturbed)
    {
        var result = Simulation.Run(ScheduleConfig.Generate(seed));
        Assert.That(result.Violation, Is.Null);
        Assert.That(result.StockDisturbedHandOver, Is.EqualTo(disturbed));
        if (disturbed)
        {
            Assert.That(result.StockPrematureLeaderships, Is.GreaterThan(0));
        }
    }

    /// <summary>
    /// Seed 146259 (classic, two stock peers of three): our node elected at once on seeing its
    /// leader DISCONNECTED and sent LEADER {UNKNOWN} then ELECTION; a stock peer got the UNKNOWN
    /// but lost the ELECTION (lossy fault) and, as 4.22.6 does, waited in that election without
    /// a timer for good while the leader's broadcasts kept coming (§3.3 "stuck classic peers"; a
    /// stock B77 has the same exposure). Counted, its leader belief agreeing; not failed.
    /// (Seed 122173 showed it until an idle follower stopped executing an empty B40 drop every
    /// iteration, issue 7, which moved that seed's schedule; 146259 is one of the seeds above it
    /// that show this case with our node electing on a DISCONNECTED leader.)
    /// </summary>
    [Test]
    public void Seed_146259_a_stock_peer_left_waiting_in_an_election_is_counted()
    {
        var result = Simulation.Run(ScheduleConfig.Generate(146259));
        Assert.That(result.Violation, Is.Null);
        Assert.That(result.StockPeerStuckInElection, Is.True);
    }

    /// <summary>
    /// Seeds 456154 and 614933 (classic, all ours, second 1,000,000-seed run): a node's election
    /// period ended and its counter-request fired in one instant; its 1 s loop announced the
    /// assumed win at once, the peer that beat it in the exchange took that announcement, and
    /// each of the two ended the exchange naming the other until a leader timeout. Fixed: the own
    /// request keeps the exchange open until its timer ends it (OwnRequestKeepsExchangeOpen).
    /// Unit test: ClassicElectionTests.An_own_request_after_the_period_ended_…
    /// </summary>
    [TestCase(456154)]
    [TestCase(614933)]
    public void An_assumed_win_is_announced_only_when_the_exchange_ends(int seed)
    {
        var result = Simulation.Run(ScheduleConfig.Generate(seed));
        Assert.That(result.Violation, Is.Null);
        Assert.That(result.ResignationLatency, Is.Not.Null.And.LessThan(Simulation.ResignBoundClassic));
    }

    /// <summary>
    /// Seeds 401502 and 501883 (classic): a stopped node's own election ended naming itself and
    /// it resigned in the same step; the nested-election check still took the ended election for
    /// open. A checker fix (the "Election period ended" line closes it), no daemon change.
    /// </summary>
    [TestCase(401502)]
    [TestCase(501883)]
    public void A_resignation_right_after_an_election_ended_is_not_nested(int seed)
    {
        var result = Simulation.Run(ScheduleConfig.Generate(seed));
        Assert.That(result.Violation, Is.Null);
    }
}
