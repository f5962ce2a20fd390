using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>The classic exchange of ELECTION messages (B79-B83).</summary>
public sealed partial class LeaderElection
{
    /// <summary>
    /// B81: an ELECTION message arrived (the shell has checked it is 32 bytes). Own messages are
    /// ignored. Otherwise the election timer restarts; a win schedules the own counter-request in
    /// 0.5 s (once), a loss cancels it, releases a held lock and adopts the sender as leader.
    /// </summary>
    public IReadOnlyList<RecdAction> OnElectionMessage(ElectionData message, TimeSpan now, NodeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (message.Pnn == OwnPnn)
        {
            return [];
        }

        var actions = new List<RecdAction>();
        if (!IsElectionInProgress)
        {
            actions.Log(ElectionLogs.JoinElection.Because(ElectionCauses.ElectionRequest(OwnPnn, message.Pnn, LastKnownLeader)));
        }

        _electionEndsAt = now + ElectionPeriod(view);
        _electionFlag = true;

        var outcome = ElectionRules.Compare(ElectionRules.OwnData(OwnPnn, view), view.CanLead, message);
        if (outcome.OwnWins)
        {
            _counterRequestAt ??= now + CounterRequestDelay;
            return actions;
        }

        _counterRequestAt = null;
        if (IsLockHeld)
        {
            ReleaseLock(actions, waitForExit: false);
        }

        Leader = message.Pnn;
        return actions;
    }

    /// <summary>B82 from the 0.5 s timer: send the own election request.</summary>
    public IReadOnlyList<RecdAction> OnCounterRequestDue(TimeSpan now, NodeView view)
    {
        if (!IsDue(_counterRequestAt, now))
        {
            return [];
        }

        _counterRequestAt = null;
        var actions = new List<RecdAction>();
        if (_options.OwnRequestKeepsExchangeOpen)
        {
            _electionFlag = true;
            _electionEndsAt ??= now + ElectionPeriod(view);
        }

        SendElectionRequest(view, actions, ElectionLogs.SendRequestFailed);
        return actions;
    }

    /// <summary>
    /// B83: the election period ended. Clears the election and fast start, logs the leader, arms
    /// the leader timeout afresh; the winner takes the cluster lock (immediate without one) and
    /// bans itself if it cannot.
    /// </summary>
    public IReadOnlyList<RecdAction> OnElectionTimerDue(TimeSpan now, NodeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!IsDue(_electionEndsAt, now))
        {
            return [];
        }

        _electionEndsAt = null;
        _electionFlag = false;
        FastStart = false;
        ClassicExchangesEnded++;

        // The wait for the winner's first broadcast (up to one loop interval away) starts now; a
        // deadline armed before the election, by the resigner's own echo for one, could otherwise
        // run out first and start another election right after this one (simulator seed 9808).
        ArmLeaderTimeout(now);

        var actions = new List<RecdAction>();
        actions.Log(ElectionLogs.ElectionEnded(Leader).Because(ElectionCauses.ClassicElectionEnded(OwnPnn, Leader, PreviousLeader)));
        if (IsLeader)
        {
            TakeLock(LockPurpose.AfterClassicElection, now, actions);
        }

        return actions;
    }

    /// <summary>B82: "assume we win" (leader := own PNN), then broadcast the own data (B79).</summary>
    private void SendElectionRequest(NodeView view, List<RecdAction> actions, LogLine onFailure)
    {
        Leader = OwnPnn;
        actions.Log(ElectionLogs.SendRequest);
        actions.Add(new RecdAction.BroadcastElection(ElectionRules.OwnData(OwnPnn, view), onFailure));
    }
}
