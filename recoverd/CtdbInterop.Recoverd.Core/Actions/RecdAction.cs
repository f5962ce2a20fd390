using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Actions;

/// <summary>
/// One thing the async shell must do. The decisions return ordered lists of these; the shell
/// executes them in list order, each completing (or failing, bounded by its timeout) before
/// the next starts. Long-running work (lock helper, recovery and takeover helpers) is only
/// <em>started</em> by an action; its outcome comes back later as an input.
/// </summary>
public abstract record RecdAction
{
    private protected RecdAction()
    {
    }

    /// <summary>Write one log line.</summary>
    public sealed record Log(LogLine Line) : RecdAction;

    /// <summary>
    /// Send <c>CTDB_SRVID_LEADER</c> {<paramref name="Pnn"/>} to <c>CTDB_BROADCAST_CONNECTED</c>
    /// (the own node receives it too). On a send failure log <paramref name="OnFailure"/> if given.
    /// </summary>
    public sealed record BroadcastLeader(uint Pnn, LogLine? OnFailure = null) : RecdAction;

    /// <summary>
    /// Drop every <c>LEADER</c> {own PNN} broadcast that is queued but not yet written to the
    /// ctdbd socket, so no stale self-announcement can overtake the resignation (§3.3 step 1).
    /// </summary>
    public sealed record CancelQueuedLeaderBroadcasts : RecdAction;

    /// <summary>
    /// Send the 32-byte <c>CTDB_SRVID_ELECTION</c> message to <c>CTDB_BROADCAST_ALL</c>.
    /// On a send failure log <paramref name="OnFailure"/> if given.
    /// </summary>
    public sealed record BroadcastElection(ElectionData Data, LogLine? OnFailure = null) : RecdAction;

    /// <summary>
    /// <c>SET_RECMODE</c> ACTIVE in parallel to <paramref name="Nodes"/> (an empty list succeeds at once).
    /// When <paramref name="ResultTicket"/> is set, report the combined outcome (all succeeded or
    /// not) to <c>LeaderElection.OnRecoveryModeActivated(ticket, ok, …)</c>; otherwise the outcome
    /// is ignored.
    /// </summary>
    public sealed record SetRecoveryModeActive(IReadOnlyList<uint> Nodes, long? ResultTicket) : RecdAction;

    /// <summary>
    /// Start the cluster mutex helper for <paramref name="LockString"/> (B88) as a direct child.
    /// Report its first status byte with <c>LeaderElection.OnLockHelperAnswered</c> and its exit
    /// with <c>LeaderElection.OnLockHelperExited</c>, both tagged with <paramref name="AttemptId"/>.
    /// The 120 s attempt limit is a core timer (<c>LeaderElection.NextDeadline</c>).
    /// </summary>
    public sealed record TakeClusterLock(long AttemptId, string LockString) : RecdAction;

    /// <summary>
    /// SIGTERM the mutex helper of <paramref name="AttemptId"/> (B90). With
    /// <paramref name="WaitForExit"/> this action completes only when the helper has exited
    /// (bounded wait, then SIGKILL; §3.2 rule 13), because the lock is free only then.
    /// </summary>
    public sealed record TerminateLockHelper(long AttemptId, bool WaitForExit) : RecdAction;

    /// <summary><c>CTDB_CONTROL_RECD_RECLOCK_LATENCY</c> to the local node (B92); failure only logs.</summary>
    public sealed record ReportLockLatency(TimeSpan Latency) : RecdAction;

    /// <summary>
    /// <c>SET_BAN_STATE</c> {<paramref name="Pnn"/>, <paramref name="Seconds"/>} to that node (B58).
    /// Failure → log <c>Failed to ban node %d</c> only.
    /// </summary>
    public sealed record BanNode(uint Pnn, uint Seconds) : RecdAction;

    /// <summary>
    /// SIGKILL a running recovery or takeover helper and let its procedure take the failure path,
    /// as on a leader change (B60). Nothing when no helper runs.
    /// </summary>
    public sealed record AbortRunningHelper : RecdAction;

    /// <summary>
    /// Discard every queued takeover-run request <em>without replying</em> and clear the
    /// forced-rebalance list (B40; §3.3 step 1).
    /// </summary>
    public sealed record DropTakeoverRequests : RecdAction;

    /// <summary>
    /// <c>MODIFY_FLAGS</c> {pnn, new, old} in parallel to <paramref name="Targets"/> (B28, B52, B94).
    /// Where the outcome matters the decision that issued it says how to report it; otherwise a
    /// failure only logs <paramref name="OnFailure"/>.
    /// </summary>
    public sealed record PushNodeFlags(uint Pnn, NodeFlags NewFlags, NodeFlags OldFlags, IReadOnlyList<uint> Targets, LogLine? OnFailure = null) : RecdAction;

    /// <summary>
    /// B45: <c>CTDB_SRVID_TAKEOVER_RUN</c> {pnn = <paramref name="OwnPnn"/>, srvid = 0} to
    /// <c>CTDB_BROADCAST_CONNECTED</c>. Failure → log <c>Failed to send takeover run request</c>.
    /// </summary>
    public sealed record SendTakeoverRunRequest(uint OwnPnn) : RecdAction;

    /// <summary>
    /// An int32 reply message to a requester's (pnn, srvid) (B66, B68, B69); never issued for
    /// srvid 0. Log <c>Sent SRVID reply to %u:%llu</c> (INFO) or
    /// <c>Failed to send SRVID reply to %u:%llu</c> (ERROR): see <see cref="SentLog"/>, <see cref="FailedLog"/>.
    /// </summary>
    public sealed record ReplyToRequester(uint Pnn, ulong Srvid, int Value) : RecdAction
    {
        public LogLine SentLog => LogLine.Info($"Sent SRVID reply to {Pnn}:{Srvid}");

        public LogLine FailedLog => LogLine.Error($"Failed to send SRVID reply to {Pnn}:{Srvid}");
    }

    /// <summary>
    /// B63: <c>CTDB_SRVID_DISABLE_TAKEOVER_RUNS</c> {pnn = 0xFFFFFFFF, srvid = 0,
    /// timeout = <paramref name="TimeoutSeconds"/>} to each of <paramref name="Nodes"/>
    /// individually; send failures are logged at INFO only.
    /// </summary>
    public sealed record DisableTakeoverRunsOn(IReadOnlyList<uint> Nodes, uint TimeoutSeconds) : RecdAction;

    /// <summary>B29: re-read the node list from ctdbd (GET_NODES_FILE) and replace the node-list count.</summary>
    public sealed record ReloadNodeList : RecdAction;
}
