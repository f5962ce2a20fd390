using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.Recovery;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>The cluster lock: the lock election (B84), taking (B88), results, release (B90), loss (B91).</summary>
public sealed partial class LeaderElection
{
    /// <summary>
    /// B88: the mutex helper of <paramref name="attemptId"/> wrote its first status byte.
    /// '0' → held (latency report, <c>Cluster lock taken successfully</c>); '1' contention,
    /// '2' timeout, anything else unknown error → SIGTERM the helper and fail the attempt.
    /// Reports about an abandoned attempt are ignored.
    /// </summary>
    public IReadOnlyList<RecdAction> OnLockHelperAnswered(long attemptId, byte status, TimeSpan now, NodeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!_lock.IsCurrentAttempt(attemptId) || _lock.Phase != ClusterLockPhase.Attempting)
        {
            return [];
        }

        var actions = new List<RecdAction>();
        if (status == (byte)'0')
        {
            _lock.MarkHeld();
            actions.Add(new RecdAction.ReportLockLatency(now - _lock.StartedAt));
            actions.Log(LockLogs.TakenSuccessfully.Because(ElectionCauses.LockTaken(OwnPnn, now - _lock.StartedAt)));
            LockTaken(_lock.Purpose, actions);
            return actions;
        }

        actions.Log(status switch
        {
            (byte)'1' => LockLogs.Contention.Because(ElectionCauses.LockContention(OwnPnn, LastKnownLeader)),
            (byte)'2' => LockLogs.Timeout.Because(ElectionCauses.LockTimeout(OwnPnn, now - _lock.StartedAt)),
            _ => LockLogs.UnknownError.Because(ElectionCauses.LockUnexpectedAnswer(OwnPnn, status)),
        });
        actions.Add(new RecdAction.TerminateLockHelper(attemptId, WaitForExit: false));
        var purpose = _lock.Purpose;
        ForgetHelper();
        FailAttempt(purpose, view, actions);
        return actions;
    }

    /// <summary>
    /// B88: the mutex helper of <paramref name="attemptId"/> could not be started
    /// (<paramref name="reason"/> says why; the spawn error itself is logged where it
    /// happened). Fails the attempt like an unknown error. There is no helper whose exit to
    /// wait for (rule 13), so the lock is free at once and the next attempt may start.
    /// </summary>
    public IReadOnlyList<RecdAction> OnLockHelperNotStarted(long attemptId, string reason, NodeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!_lock.IsCurrentAttempt(attemptId) || _lock.Phase != ClusterLockPhase.Attempting)
        {
            return [];
        }

        var actions = new List<RecdAction>();
        actions.Log(LockLogs.UnknownError.Because(ElectionCauses.LockHelperNotStarted(OwnPnn, reason)));
        var purpose = _lock.Purpose;
        _lock.Clear();
        FailAttempt(purpose, view, actions);
        return actions;
    }

    /// <summary>
    /// The mutex helper of <paramref name="attemptId"/> is gone, seen the moment it happens, even
    /// while an action list is still running (a control to a slow peer can take seconds). A held
    /// lock stops counting as held at once, so this node never goes on believing it holds a lock
    /// another node may already have taken; only the log line is returned (write it at once).
    /// The forced election follows from <see cref="OnLockHelperExited"/>, in turn.
    /// </summary>
    public IReadOnlyList<LogLine> OnLockHelperGone(long attemptId)
    {
        if (!_lock.IsCurrentAttempt(attemptId) || _lock.Phase != ClusterLockPhase.Held)
        {
            return [];
        }

        _lock.MarkLost();
        return [LockLogs.HelperTerminated.Because(ElectionCauses.LockLost(OwnPnn))];
    }

    /// <summary>
    /// The mutex helper of <paramref name="attemptId"/> exited (EOF on its stdout). After '0' this is
    /// B91: <c>Cluster lock helper terminated</c>, drop the handle and, if this node can lead, force
    /// an election (guarded, rule 8). Before an answer it is an unknown-error failure.
    /// </summary>
    public IReadOnlyList<RecdAction> OnLockHelperExited(long attemptId, TimeSpan now, NodeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!_lock.IsCurrentAttempt(attemptId))
        {
            return [];
        }

        var actions = new List<RecdAction>();
        if (_lock.Phase is ClusterLockPhase.Held or ClusterLockPhase.Lost)
        {
            if (_lock.Phase == ClusterLockPhase.Held)
            {
                actions.Log(LockLogs.HelperTerminated.Because(ElectionCauses.LockLost(OwnPnn)));
            }

            _lock.Clear();
            if (view.CanLead)
            {
                StartElection(view, actions, ElectionCauses.ClusterLockLost(OwnPnn));
            }

            return actions;
        }

        if (_lock.Phase == ClusterLockPhase.Releasing)
        {
            // The terminated helper is gone: only now may the next one start (rule 13).
            var retake = _lock.RetakeAfterExit;
            _lock.Clear();
            if (retake is { } purpose)
            {
                if (view.CanLead)
                {
                    TakeLock(purpose, now, actions);
                }
                else if (purpose == LockPurpose.LockElection)
                {
                    _electionFlag = false;
                }
            }

            return actions;
        }

        actions.Log(LockLogs.UnknownError.Because(ElectionCauses.LockHelperExitedUnanswered(OwnPnn)));
        var failed = _lock.Purpose;
        _lock.Clear();
        FailAttempt(failed, view, actions);
        return actions;
    }

    /// <summary>B88's 120 s limit passed without an answer: as status '2'.</summary>
    public IReadOnlyList<RecdAction> OnLockAttemptTimeout(TimeSpan now, NodeView view)
    {
        if (!IsDue(_lock.AttemptDeadline, now))
        {
            return [];
        }

        return OnLockHelperAnswered(_lock.AttemptId, (byte)'2', now, view);
    }

    /// <summary>
    /// B84 <c>cluster_lock_election()</c>: a node that cannot lead releases a held lock and ends
    /// the election; a holder stays leader; otherwise leader := UNKNOWN and race for the lock —
    /// the attempt's result ends the election. An attempt already pending decides instead of a
    /// second one (rule 12).
    /// </summary>
    private void LockElection(TimeSpan now, NodeView view, List<RecdAction> actions)
    {
        if (!view.CanLead)
        {
            if (IsLockHeld)
            {
                ReleaseLock(actions, waitForExit: false);
            }

            _electionFlag = false;
            return;
        }

        if (IsLockHeld)
        {
            Leader = OwnPnn;
            _electionFlag = false;
            return;
        }

        if (_options.NestedElectionGuard && _lock.Phase == ClusterLockPhase.Attempting)
        {
            _lock.Retag(LockPurpose.LockElection);
            return;
        }

        Leader = CtdbConstants.UnknownPnn;
        TakeLock(LockPurpose.LockElection, now, actions);
    }

    /// <summary>B88 <c>cluster_lock_take()</c>: immediate success without a lock or when held; else start the helper.</summary>
    private void TakeLock(LockPurpose purpose, TimeSpan now, List<RecdAction> actions)
    {
        if (_config.ClusterLock is not { } lockString)
        {
            LockTaken(purpose, actions);
            return;
        }

        if (IsLockHeld)
        {
            actions.Log(LockLogs.AlreadyHolding);
            LockTaken(purpose, actions);
            return;
        }

        if (_options.NestedElectionGuard && _lock.Phase == ClusterLockPhase.Attempting)
        {
            // Rule 12: never a second helper; the pending attempt decides.
            return;
        }

        if (_options.NestedElectionGuard && _lock.Phase == ClusterLockPhase.Releasing)
        {
            // Rule 13: the previous helper has been told to exit but has not yet; start at its exit.
            _lock.RetakeAfterExit = purpose;
            return;
        }

        actions.Log(LockLogs.Attempting(lockString));

        // Without the guard a pending handle is overwritten, leaking its helper (4.22.6, B78).
        var attempt = _lock.Begin(now, purpose);
        actions.Add(new RecdAction.TakeClusterLock(attempt, lockString));
    }

    private void LockTaken(LockPurpose purpose, List<RecdAction> actions)
    {
        if (purpose != LockPurpose.LockElection)
        {
            return;
        }

        var previous = LastKnownLeader;
        Leader = OwnPnn;
        actions.Log(LockLogs.Took(Leader).Because(ElectionCauses.LockElectionWon(OwnPnn, previous)));
        _electionFlag = false;
        if (_options.AnnounceLeadershipAtOnce)
        {
            // The same broadcast the 1 s loop sends (B73), only sooner.
            actions.Add(new RecdAction.BroadcastLeader(OwnPnn, ElectionLogs.LeaderBroadcastFailed));
        }
    }

    private void FailAttempt(LockPurpose purpose, NodeView view, List<RecdAction> actions)
    {
        if (purpose == LockPurpose.LockElection)
        {
            // Leader stays UNKNOWN; the winner's broadcasts tell us who leads (B75).
            _electionFlag = false;
            return;
        }

        // B83: the winner of a classic election could not get the lock. (A deliberate
        // cancellation through ReleaseLock does not come here, so it never bans.)
        actions.Log(ElectionLogs.LockFailedBanning);
        actions.AddRange(Banning.BanNode(OwnPnn, view.NodeListCount, view.Tunables.RecoveryBanPeriod, Banning.ClusterLockFailed(OwnPnn)));
    }

    /// <summary>
    /// B90 <c>cluster_lock_release()</c>: cancel a pending attempt (it fails, without a ban) or
    /// release a held lock; SIGTERM the helper either way.
    /// </summary>
    private void ReleaseLock(List<RecdAction> actions, bool waitForExit)
    {
        if (!_lock.HasHelper)
        {
            return;
        }

        var attempt = _lock.AttemptId;
        if (_lock.Phase == ClusterLockPhase.Attempting)
        {
            actions.Log(LockLogs.Cancelling);
            actions.Add(new RecdAction.TerminateLockHelper(attempt, waitForExit));
            var purpose = _lock.Purpose;
            ForgetHelper();
            if (purpose == LockPurpose.LockElection)
            {
                _electionFlag = false;
            }

            return;
        }

        actions.Log(LockLogs.Releasing);
        actions.Add(new RecdAction.TerminateLockHelper(attempt, waitForExit));
        ForgetHelper();
    }

    /// <summary>
    /// A helper was just told to exit. With rule 12's guard it still counts until its exit is
    /// reported (<see cref="ClusterLockPhase.Releasing"/>); 4.22.6 forgets the handle at once.
    /// </summary>
    private void ForgetHelper()
    {
        if (_options.NestedElectionGuard)
        {
            _lock.MarkReleasing();
        }
        else
        {
            _lock.Clear();
        }
    }
}
