using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>
/// Leadership, elections (classic and lock race) and the cluster-lock handle, as one state
/// machine with one owner (§3.2 rule 9). Every input is a method that takes the monotonic
/// time "now" and a fresh <see cref="NodeView"/>, mutates only this object and returns the
/// actions to execute in order. Timers are deadlines the shell reads from
/// <see cref="NextDeadline"/>; when one passes it calls <see cref="OnTimersDue"/> (or the
/// single-timer method). A stale or early expiry does nothing, so races between a timer and a
/// message that re-armed it are harmless.
/// </summary>
public sealed partial class LeaderElection
{
    private static readonly TimeSpan BroadcastInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CounterRequestDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan FastStartElectionPeriod = TimeSpan.FromMilliseconds(500);

    private readonly RecdConfig _config;
    private readonly DecisionOptions _options;
    private readonly ClusterLockState _lock = new();
    private readonly List<long> _pendingActivations = [];
    private long _lastTicket;
    private uint _leader = CtdbConstants.UnknownPnn;

    // The C daemon's election_in_progress flag (B76, B77, B81, B83, B84).
    private bool _electionFlag;
    private TimeSpan? _leaderTimeoutAt;
    private TimeSpan? _electionEndsAt;
    private TimeSpan? _counterRequestAt;
    private TimeSpan? _broadcastAt;

    public LeaderElection(RecdConfig config, DecisionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _options = options ?? DecisionOptions.Default;
        FastStart = config.TestMode;
    }

    public uint OwnPnn => _config.OwnPnn;

    /// <summary>The leader this node believes in, or <see cref="CtdbConstants.UnknownPnn"/> (B07).</summary>
    public uint Leader
    {
        get => _leader;
        private set
        {
            if (_leader != CtdbConstants.UnknownPnn && value != _leader)
            {
                PreviousLeader = _leader;
            }

            _leader = value;
        }
    }

    /// <summary>The last known leader before the current one (for the causes of leader changes); UNKNOWN at start.</summary>
    public uint PreviousLeader { get; private set; } = CtdbConstants.UnknownPnn;

    // The last known leader, or the current one when it is known: what a leader change replaces.
    private uint LastKnownLeader => _leader != CtdbConstants.UnknownPnn ? _leader : PreviousLeader;

    public bool IsLeader => Leader == OwnPnn;

    /// <summary>B85: 0.5 s election periods until the first election of this process ends (test mode only).</summary>
    public bool FastStart { get; private set; }

    /// <summary>
    /// B13 and §3.2 rules 8-9: an election is running. With the guard this also covers the time
    /// between "Start election" and the recovery-mode result, and any pending lock attempt; the
    /// main loop must check it after every await and abandon the iteration when it is true.
    /// </summary>
    public bool IsElectionInProgress =>
        _electionFlag
        || (_options.NestedElectionGuard
            && (_pendingActivations.Count > 0 || _lock.Phase == ClusterLockPhase.Attempting || _lock.RetakeAfterExit is not null));

    /// <summary>B89 (rule 11 unless <see cref="DecisionOptions.StrictLockHeld"/> is off): the lock is held.</summary>
    public bool IsLockHeld => _lock.IsHeld(_options.StrictLockHeld);

    public ClusterLockPhase LockPhase => _lock.Phase;

    /// <summary>The attempt id of the existing mutex helper, if any (for SIGTERM on shutdown and SIGHUP decisions).</summary>
    public long? LockAttemptId => _lock.HasHelper ? _lock.AttemptId : null;

    public TimeSpan? LeaderTimeoutDeadline => _leaderTimeoutAt;

    public TimeSpan? ElectionEndDeadline => _electionEndsAt;

    /// <summary>How many classic exchanges ended here (B83); for observers, decides nothing.</summary>
    public int ClassicExchangesEnded { get; private set; }

    public TimeSpan? CounterRequestDeadline => _counterRequestAt;

    public TimeSpan? BroadcastLoopDeadline => _broadcastAt;

    public TimeSpan? LockAttemptDeadline => _lock.AttemptDeadline;

    /// <summary>The earliest armed deadline, or null when no timer is armed.</summary>
    public TimeSpan? NextDeadline => EarliestTimer()?.At;

    /// <summary>Fires every timer whose deadline is ≤ <paramref name="now"/>, earliest first.</summary>
    public IReadOnlyList<RecdAction> OnTimersDue(TimeSpan now, NodeView view)
    {
        // Most seconds one timer fires with nothing or one list to return: that list is
        // returned as it is, and a merged list made only when a second firing adds to it.
        IReadOnlyList<RecdAction> actions = [];
        List<RecdAction>? merged = null;

        // Bounded: each firing disarms its timer; re-armed ones lie in the future unless a
        // tunable is 0, and then the bound stops a same-instant cycle.
        for (var round = 0; round < 16; round++)
        {
            if (EarliestTimer() is not { } due || due.At > now)
            {
                break;
            }

            var fired = due.Timer switch
            {
                ElectionTimer.LockAttempt => OnLockAttemptTimeout(now, view),
                ElectionTimer.ElectionEnd => OnElectionTimerDue(now, view),
                ElectionTimer.CounterRequest => OnCounterRequestDue(now, view),
                ElectionTimer.LeaderTimeout => OnLeaderTimeoutDue(now, view),
                _ => OnBroadcastLoopDue(now, view),
            };

            if (fired.Count == 0)
            {
                continue;
            }

            if (actions.Count == 0)
            {
                actions = fired;
            }
            else
            {
                merged ??= new List<RecdAction>(actions);
                merged.AddRange(fired);
                actions = merged;
            }
        }

        return actions;
    }

    /// <summary>
    /// The armed timer with the earliest deadline; at equal deadlines the first in
    /// <see cref="ElectionTimer"/> order. A plain scan of the five fields: the shell asks
    /// several times a second (issue 7).
    /// </summary>
    private (ElectionTimer Timer, TimeSpan At)? EarliestTimer()
    {
        (ElectionTimer Timer, TimeSpan At)? earliest = null;
        Consider(ref earliest, ElectionTimer.LockAttempt, _lock.AttemptDeadline);
        Consider(ref earliest, ElectionTimer.ElectionEnd, _electionEndsAt);
        Consider(ref earliest, ElectionTimer.CounterRequest, _counterRequestAt);
        Consider(ref earliest, ElectionTimer.LeaderTimeout, _leaderTimeoutAt);
        Consider(ref earliest, ElectionTimer.BroadcastLoop, _broadcastAt);
        return earliest;

        // Timers come in enum order, so only a strictly earlier deadline replaces the one kept.
        static void Consider(ref (ElectionTimer Timer, TimeSpan At)? earliest, ElectionTimer timer, TimeSpan? deadline)
        {
            if (deadline is { } at && (earliest is not { } kept || at < kept.At))
            {
                earliest = (timer, at);
            }
        }
    }

    private static bool IsDue(TimeSpan? deadline, TimeSpan now) => deadline is { } at && at <= now;

    private TimeSpan ElectionPeriod(NodeView view) =>
        FastStart ? FastStartElectionPeriod : TimeSpan.FromSeconds(view.Tunables.ElectionTimeout);

    private void ArmLeaderTimeout(TimeSpan now) => _leaderTimeoutAt = now + _config.EffectiveLeaderTimeout;
}
