namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>
/// Switches between the required behaviour (every default, section 3.2) and the stock
/// 4.22.6 behaviour it replaces. <b>Test-only toggles</b>: the daemon always runs with
/// <see cref="Default"/>; the others exist so tests and the simulator can reproduce the
/// old bugs and prove each fix matters.
/// </summary>
public sealed record DecisionOptions
{
    public static DecisionOptions Default { get; } = new();

    /// <summary>
    /// Bug 16082, §3.2 rules 1-5: re-read the node map and own flags/capabilities right before
    /// a recovery and before the recovery helper starts, and refuse (and resign) when this
    /// node can no longer lead. false = 4.22.6 (only "am I still the recorded leader").
    /// </summary>
    public bool RecheckBeforeRecovery { get; init; } = true;

    /// <summary>
    /// Bug 16152, §3.2 rules 8-10: drop election triggers while an election is running and do
    /// not re-arm the leader-broadcast timeout during an election (this also ignores the own
    /// UNKNOWN echo during a lock race). false = 4.22.6 nesting.
    /// </summary>
    public bool NestedElectionGuard { get; init; } = true;

    /// <summary>
    /// Bug 16152, §3.2 rule 11: "lock held" means the mutex helper answered '0' and has not
    /// exited. false = 4.22.6 (a pending attempt counts as held).
    /// </summary>
    public bool StrictLockHeld { get; init; } = true;

    /// <summary>
    /// §3.2 rule 14: in classic mode an UNKNOWN leader broadcast arms the election timer, so the
    /// election ends even if no ELECTION message arrives. false = 4.22.6 (may wait forever).
    /// </summary>
    public bool ClassicUnknownArmsElectionTimer { get; init; } = true;

    /// <summary>
    /// Classic mode: the own election request (B82, "assume we win") keeps this node in the
    /// exchange until its election timer ends it, so the 1 s loop does not announce the assumed
    /// win while the others are still comparing. false = 4.22.6: a request sent just after the
    /// node's own period ended is announced at once, and a peer that takes the announcement
    /// (B75) while it beats this node in the exchange ends it naming the wrong leader
    /// (simulator seed 456154: two nodes each naming the other until a leader timeout).
    /// </summary>
    public bool OwnRequestKeepsExchangeOpen { get; init; } = true;

    /// <summary>
    /// §3.3: a leader that finds it cannot lead resigns at once (one UNKNOWN broadcast, plus one
    /// losing ELECTION in classic mode). false = 4.22.6 and master (leader := UNKNOWN silently
    /// in the broadcast loop; peers notice after the leader timeout).
    /// </summary>
    public bool ResignWhenUnableToLead { get; init; } = true;

    /// <summary>
    /// Issue 7: the winner of a lock race broadcasts LEADER at once instead of at its next 1 s
    /// broadcast tick, so peers (stock ones included: it is the same broadcast) learn the new
    /// leader without waiting. false = 4.22.6 (first broadcast up to 1 s later).
    /// </summary>
    public bool AnnounceLeadershipAtOnce { get; init; } = true;

    /// <summary>
    /// Issue 7: a node whose own node map shows the leader DISCONNECTED starts an election at
    /// once (ctdbd marks a peer disconnected the moment its connection drops) instead of waiting
    /// for the leader-broadcast timeout. false = 4.22.6 (only the timeout, B74).
    /// </summary>
    public bool ElectOnLeaderDisconnect { get; init; } = true;

    /// <summary>
    /// Issue 7: a leader resigning because it became stopped or banned also sets recovery mode
    /// ACTIVE on the other active nodes (§3.3 step 3), as the C daemon's election does (B77), so
    /// the cluster is not reported NORMAL before the successor's recovery. false = resign
    /// without it.
    /// </summary>
    public bool HandOverWithRecovery { get; init; } = true;

    /// <summary>The stock 4.22.6 behaviour in every respect (for reproducing old bugs).</summary>
    public static DecisionOptions Stock4226 { get; } = new()
    {
        RecheckBeforeRecovery = false,
        NestedElectionGuard = false,
        StrictLockHeld = false,
        ClassicUnknownArmsElectionTimer = false,
        OwnRequestKeepsExchangeOpen = false,
        ResignWhenUnableToLead = false,
        AnnounceLeadershipAtOnce = false,
        ElectOnLeaderDisconnect = false,
        HandOverWithRecovery = false,
    };
}
