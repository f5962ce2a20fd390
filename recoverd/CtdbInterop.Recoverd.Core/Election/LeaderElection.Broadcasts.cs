using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Resignation;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>Leader broadcasts: the 1 s loop (B73), the timeout (B74/B15) and received broadcasts (B75/B76).</summary>
public sealed partial class LeaderElection
{
    /// <summary>B14: start the 1 s broadcast loop if it is not running. Called by the main loop after B13.</summary>
    public void EnsureBroadcastLoop(TimeSpan now) => _broadcastAt ??= now + BroadcastInterval;

    /// <summary>
    /// Brings the broadcast loop's next run forward to <paramref name="mainLoopWake"/> when
    /// that comes first, so the two once-a-second timers run in one wake-up of the daemon
    /// (issue 7, idle CPU). On a node that follows a known leader the run may also wait up to
    /// <paramref name="followerSlack"/> for the main loop, whose pause is a little longer there
    /// (<see cref="MainLoop.LoopPause"/>): the follower's tick only checks that the node need
    /// not give anything up. Otherwise only ever earlier: the loop still runs at least once a
    /// second, and at most one run comes early after the main loop's rhythm moved (a
    /// recovery, an early wake-up). Not called by the simulator, whose schedules stay as they
    /// were.
    /// </summary>
    public void AlignBroadcastLoop(TimeSpan mainLoopWake, TimeSpan followerSlack)
    {
        if (_broadcastAt is not { } next)
        {
            return;
        }

        var follower = !IsLeader && Leader != CtdbConstants.UnknownPnn;
        if (mainLoopWake < next || (follower && mainLoopWake - next <= followerSlack))
        {
            _broadcastAt = mainLoopWake;
        }
    }

    /// <summary>
    /// B15: arm the leader-broadcast timeout if it is not armed. Never during an election
    /// (rule 10), so this is a no-op then.
    /// </summary>
    public void EnsureLeaderTimeout(TimeSpan now)
    {
        if (!IsElectionInProgress && _leaderTimeoutAt is null)
        {
            ArmLeaderTimeout(now);
        }
    }

    /// <summary>
    /// B73, one run of the broadcast loop (re-arms itself 1 s later). A node that cannot lead
    /// stops being leader — by resigning (§3.3) unless
    /// <see cref="Domain.DecisionOptions.ResignWhenUnableToLead"/> is off, then silently as the C
    /// daemon does — and releases a held lock. The leader broadcasts LEADER {own PNN}.
    /// </summary>
    public IReadOnlyList<RecdAction> OnBroadcastLoopDue(TimeSpan now, NodeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!IsDue(_broadcastAt, now))
        {
            return [];
        }

        _broadcastAt = now + BroadcastInterval;
        if (!view.CanLead)
        {
            var actions = new List<RecdAction>();
            if (IsLeader)
            {
                if (_options.ResignWhenUnableToLead && !IsElectionInProgress)
                {
                    actions.AddRange(Resign(ResignReason.CannotLead(view.OwnFlags), now, view));
                }
                else
                {
                    Leader = CtdbConstants.UnknownPnn;
                }
            }

            if (_config.ClusterLockConfigured && IsLockHeld)
            {
                ReleaseLock(actions, waitForExit: false);
            }

            return actions;
        }

        // The C flag only: a leader keeps announcing itself while it takes the lock after a
        // classic election, as the C daemon does.
        if (!IsLeader || _electionFlag)
        {
            return [];
        }

        return [new RecdAction.BroadcastLeader(OwnPnn, ElectionLogs.LeaderBroadcastFailed)];
    }

    /// <summary>B74: the leader-broadcast timeout fired → log and force an election (B77).</summary>
    public IReadOnlyList<RecdAction> OnLeaderTimeoutDue(TimeSpan now, NodeView view)
    {
        if (!IsDue(_leaderTimeoutAt, now))
        {
            return [];
        }

        _leaderTimeoutAt = null;
        var actions = new List<RecdAction>();
        actions.Log(ElectionLogs.LeaderBroadcastTimeout);
        StartElection(view, actions, ElectionCauses.LeaderTimeout(OwnPnn, LastKnownLeader, _config.EffectiveLeaderTimeout));
        return actions;
    }

    /// <summary>
    /// B75/B76: a <c>CTDB_SRVID_LEADER</c> broadcast arrived (own echoes included). Cancels the
    /// timeout; a known PNN becomes the leader and re-arms the timeout — except during an election
    /// (rule 10), which also ignores the own UNKNOWN echo of a lock race. An UNKNOWN PNN while a
    /// leader is known marks an election in progress and, with a cluster lock, races for it (B84).
    /// </summary>
    public IReadOnlyList<RecdAction> OnLeaderBroadcast(uint pnn, TimeSpan now, NodeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        _leaderTimeoutAt = null;
        var mayRearm = !(_options.NestedElectionGuard && IsElectionInProgress);

        // The leader's own PNN again: every second of an idle cluster.
        if (pnn == Leader)
        {
            if (mayRearm)
            {
                ArmLeaderTimeout(now);
            }

            return [];
        }

        var actions = new List<RecdAction>();
        if (pnn != CtdbConstants.UnknownPnn)
        {
            actions.Log(ElectionLogs.ReceivedLeaderBroadcast(pnn).Because(ElectionCauses.LeaderBroadcast(pnn, LastKnownLeader)));
            Leader = pnn;
            if (mayRearm)
            {
                ArmLeaderTimeout(now);
            }

            return actions;
        }

        var wasInProgress = _electionFlag;
        if (!IsElectionInProgress)
        {
            actions.Log(ElectionLogs.JoinElection.Because(ElectionCauses.UnknownLeaderBroadcast(OwnPnn, LastKnownLeader)));
        }

        _electionFlag = true;
        if (_config.ClusterLockConfigured)
        {
            if (!wasInProgress)
            {
                LockElection(now, view, actions);
            }
        }
        else if (_options.ClassicUnknownArmsElectionTimer)
        {
            // Rule 14: end this state even if no ELECTION message ever arrives.
            _electionEndsAt ??= now + ElectionPeriod(view);
        }

        return actions;
    }
}
