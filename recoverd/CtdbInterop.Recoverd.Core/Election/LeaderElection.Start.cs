using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>Starting an election: B77 <c>force_election()</c> with the rule 8 guard.</summary>
public sealed partial class LeaderElection
{
    /// <summary>
    /// B77 steps 1-3: log <c>Start election</c> and set recovery mode ACTIVE on every active node
    /// of the cached map (self included; no map = no nodes). The election proper starts when the
    /// shell reports the result (<see cref="OnRecoveryModeActivated"/>). While an election runs the
    /// trigger is dropped with a distinct log line (rule 8). The daemon starts elections only
    /// through their triggers (B74 leader timeout, B91 lock lost, a disconnected leader); this
    /// entry without a trigger of its own serves the unit tests.
    /// </summary>
    public IReadOnlyList<RecdAction> ForceElection(NodeView view)
    {
        var actions = new List<RecdAction>();
        StartElection(view, actions, ElectionCauses.Forced(OwnPnn));
        return actions;
    }

    /// <summary>
    /// B77 steps 3-7 after the recovery-mode round: on failure log and give up (B15 re-arms the
    /// timeout later); on success mark the election, broadcast LEADER {UNKNOWN}, then race for the
    /// lock (B84) or start the classic exchange (B82 with the election timer).
    /// </summary>
    public IReadOnlyList<RecdAction> OnRecoveryModeActivated(long ticket, bool succeeded, TimeSpan now, NodeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!_pendingActivations.Remove(ticket))
        {
            return [];
        }

        var actions = new List<RecdAction>();
        if (!succeeded)
        {
            actions.Log(ElectionLogs.RecoveryModeFailed);
            return actions;
        }

        _electionFlag = true;
        actions.Add(new RecdAction.BroadcastLeader(CtdbConstants.UnknownPnn));

        if (_config.ClusterLockConfigured)
        {
            LockElection(now, view, actions);
            return actions;
        }

        _electionEndsAt = now + ElectionPeriod(view);
        SendElectionRequest(view, actions, ElectionLogs.InitiateFailed);
        return actions;
    }

    private void StartElection(NodeView view, List<RecdAction> actions, Logging.DecisionCause cause)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (_options.NestedElectionGuard && IsElectionInProgress)
        {
            actions.Log(ElectionLogs.ElectionAlreadyRunning);
            return;
        }

        actions.Log(ElectionLogs.StartElection.Because(cause));
        var ticket = ++_lastTicket;
        _pendingActivations.Add(ticket);
        actions.Add(new RecdAction.SetRecoveryModeActive(view.NodeMap?.ActivePnns() ?? [], ticket));
    }
}
