using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Resignation;

/// <summary>
/// §3.3's orderly resignation as an ordered action list that only uses messages stock 4.22.6
/// peers understand. The caller (<see cref="LeaderElection.Resign"/>) has already set its own
/// leader to UNKNOWN, so the broadcast loop sends nothing more for this node.
/// </summary>
public static class ResignationPlan
{
    /// <summary>The log line administrators see (new behaviour, so our own wording).</summary>
    public static LogLine LogFor(ResignReason reason, uint? ownPnn = null)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var line = LogLine.Notice($"Resigning as leader ({reason.Describe()})");
        return ownPnn is { } pnn ? line.Because(reason.ToDecision(pnn)) : line;
    }

    /// <summary>
    /// Builds the actions, in this order:
    /// <list type="number">
    /// <item>log <c>Resigning as leader (&lt;reason&gt;)</c> first, so every following line has its context;</item>
    /// <item>drop queued LEADER {own} broadcasts; drop queued takeover requests without reply and clear
    /// rebalance targets; abort a running recovery/takeover helper (B60's path);</item>
    /// <item>lock mode, when a mutex helper exists: SIGTERM it and <b>wait for its exit</b>;</item>
    /// <item>optionally SET_RECMODE ACTIVE on the other active nodes (16082 path, so the successor recovers);</item>
    /// <item>exactly one LEADER {UNKNOWN} broadcast — never a successor PNN;</item>
    /// <item>classic mode only: one losing ELECTION (num_connected 0, priority now, own flags plus
    /// STOPPED when they have no INACTIVE bit). Never an ELECTION in lock mode.</item>
    /// </list>
    /// </summary>
    /// <param name="lockMode">A cluster lock is configured.</param>
    /// <param name="lockHelperAttempt">The attempt id of the existing mutex helper, if any.</param>
    /// <param name="lockHelperHeld">That helper had answered '0' (picks the release wording).</param>
    /// <param name="activateRecoveryModeOn">Step 3 targets (active nodes except self), or null to skip it.</param>
    /// <param name="electionRunning">An election is running on this node: it has set recovery mode
    /// ACTIVE and broadcast LEADER {UNKNOWN} already (or will when its recovery-mode round ends), so
    /// steps 3 and 4 are left out: a second UNKNOWN would start another election on the nodes that
    /// have settled meanwhile (16152). The losing ELECTION still goes out in classic mode.</param>
    public static IReadOnlyList<RecdAction> Create(
        bool lockMode,
        ResignReason reason,
        NodeFlags ownFlags,
        uint ownPnn,
        WallTime wallNow,
        long? lockHelperAttempt = null,
        bool lockHelperHeld = true,
        IReadOnlyList<uint>? activateRecoveryModeOn = null,
        bool electionRunning = false)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var actions = new List<RecdAction>
        {
            new RecdAction.Log(LogFor(reason, ownPnn)),
            new RecdAction.CancelQueuedLeaderBroadcasts(),
            new RecdAction.DropTakeoverRequests(),
            new RecdAction.AbortRunningHelper(),
        };

        if (lockHelperAttempt is { } attempt)
        {
            actions.Add(new RecdAction.Log(lockHelperHeld ? LockLogs.Releasing : LockLogs.Cancelling));
            actions.Add(new RecdAction.TerminateLockHelper(attempt, WaitForExit: true));
        }

        if (!electionRunning)
        {
            if (activateRecoveryModeOn is { Count: > 0 })
            {
                actions.Add(new RecdAction.SetRecoveryModeActive(activateRecoveryModeOn.Where(p => p != ownPnn).ToArray(), null));
            }

            actions.Add(new RecdAction.BroadcastLeader(CtdbConstants.UnknownPnn));
        }

        if (!lockMode)
        {
            actions.Add(new RecdAction.BroadcastElection(ElectionRules.ResignationData(ownPnn, ownFlags, wallNow)));
        }

        return actions;
    }
}
