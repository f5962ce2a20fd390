using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Resignation;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>Giving up leadership (§3.3) and SIGTERM (B05).</summary>
public sealed partial class LeaderElection
{
    /// <summary>
    /// §3.3: when this node is leader, stop being leader now and return the resignation actions
    /// (<see cref="ResignationPlan.Create"/>); the lock handle (held or pending) is released and
    /// waited for. The leader timeout is armed afresh as the safety net.
    /// Not leader → nothing to do (empty list).
    /// </summary>
    /// <param name="activateRecoveryModeOnOthers">§3.3 step 3: also set recovery mode ACTIVE on
    /// the other active nodes (use it when a recovery was about to start).</param>
    public IReadOnlyList<RecdAction> Resign(ResignReason reason, TimeSpan now, NodeView view, bool activateRecoveryModeOnOthers = false)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(view);
        if (!IsLeader)
        {
            return [];
        }

        // Read before anything below changes it: an election this node runs or has joined.
        var electionRunning = _options.NestedElectionGuard && IsElectionInProgress;
        Leader = CtdbConstants.UnknownPnn;
        _counterRequestAt = null;

        long? attempt = _lock.HasHelper ? _lock.AttemptId : null;
        var held = _lock.Phase == ClusterLockPhase.Held;
        if (attempt is not null)
        {
            ForgetHelper();
        }

        // A retake waiting for an old helper's exit is for a leadership given up now.
        _lock.RetakeAfterExit = null;

        var targets = activateRecoveryModeOnOthers
            ? (view.NodeMap?.ActivePnns() ?? []).Where(p => p != OwnPnn).ToArray()
            : null;

        var actions = ResignationPlan.Create(
            _config.ClusterLockConfigured, reason, view.OwnFlags, OwnPnn, view.WallNow, attempt, held, targets, electionRunning);

        // The wait for the successor's first broadcast starts now. A deadline armed earlier may be
        // due already (a leader stuck on a slow peer misses its own broadcasts); keeping it would
        // start an election right behind this resignation's UNKNOWN, a second one (seed 498).
        if (!IsElectionInProgress)
        {
            ArmLeaderTimeout(now);
        }

        return actions;
    }

    /// <summary>
    /// B05 SIGTERM: log <c>Received SIGTERM, exiting</c>, then either resign (when
    /// <paramref name="resign"/> and leader; this waits for the mutex helper) or release/cancel
    /// the lock as the C daemon does. The shell exits with status 0 after executing the actions.
    /// </summary>
    public IReadOnlyList<RecdAction> OnSigterm(TimeSpan now, NodeView view, bool resign)
    {
        var actions = new List<RecdAction>();
        actions.Log(ElectionLogs.ReceivedSigterm);
        if (resign && IsLeader)
        {
            actions.AddRange(Resign(new ResignReason(ResignCause.Shutdown, view.OwnFlags), now, view));
            return actions;
        }

        ReleaseLock(actions, waitForExit: false);
        return actions;
    }
}
