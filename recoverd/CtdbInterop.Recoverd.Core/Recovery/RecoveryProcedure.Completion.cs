using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.Resignation;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>B53-B56 and the exits.</summary>
public sealed partial class RecoveryProcedure
{
    /// <summary>
    /// B60 and rule 6, about once a second while the helper runs: another leader → abort
    /// (<c>Leader changed to %u, aborting recovery</c>); with the re-check, fresh own flags that are
    /// INACTIVE (or capabilities without RECMASTER) → abort and resign. A failed read keeps going.
    /// </summary>
    public HelperWatchVerdict CheckWhileHelperRuns(FetchResult<NodeFlags> freshOwnFlags, FetchResult<CtdbCapabilities> freshOwnCapabilities, uint leader)
    {
        if (_stage != Stage.AwaitingHelper)
        {
            return HelperWatchVerdict.KeepRunning;
        }

        if (leader != OwnPnn)
        {
            return new HelperWatchVerdict(
                true,
                [LogLine.Error($"Leader changed to {leader}, aborting recovery").Because(
                    RefusalCauses.For(RecoveryRefusal.NotLeader, OwnPnn, Memory.OwnFlags, null, Memory.OwnCapabilities, leader, "recovery helper run"))],
                null);
        }

        if (!_options.RecheckBeforeRecovery || !freshOwnFlags.TryGetValue(out var flags))
        {
            return HelperWatchVerdict.KeepRunning;
        }

        var caps = freshOwnCapabilities.TryGetValue(out var fresh) ? fresh : Memory.OwnCapabilities;
        if (flags.IsActive() && caps.CanLead())
        {
            return HelperWatchVerdict.KeepRunning;
        }

        var cachedFlags = Memory.OwnFlags;
        Memory = Memory with { OwnFlags = flags, OwnCapabilities = caps };
        _resignAfterHelper = ResignReason.CannotLead(flags);
        var reason = flags.IsInactive() ? RecoveryRefusal.Inactive : RecoveryRefusal.NoLeaderCapability;
        return new HelperWatchVerdict(
            true,
            [LogLine.Error("This node can no longer be leader, abort recovery").WithFunction(Function)
                .Because(RefusalCauses.For(reason, OwnPnn, flags, cachedFlags, caps, leader, "recovery helper run"))],
            _resignAfterHelper);
    }

    /// <summary>B53 result: failure (or an abort) fails the recovery; success runs the takeover (B54).</summary>
    public RecoveryStep OnRecoveryHelperFinished(bool succeeded, RecoveryEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        Expect(Stage.AwaitingHelper);
        if (!succeeded)
        {
            return Fail([], _resignAfterHelper is null ? RecoveryFailure.HelperFailed : RecoveryFailure.CannotLead, _resignAfterHelper);
        }

        return Wait(Stage.AwaitingTakeover, [], new RecoveryRequest.RunTakeover());
    }

    /// <summary>B54 result: only remembered as <c>need_takeover_run</c>; then B55.</summary>
    public RecoveryStep OnTakeoverRunFinished(bool succeeded, RecoveryEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        Expect(Stage.AwaitingTakeover);
        Memory = Memory with { NeedTakeoverRun = !succeeded };
        return Wait(Stage.AwaitingReconfigure, [], new RecoveryRequest.BroadcastReconfigure());
    }

    /// <summary>
    /// B55 result, then B56: <c>Recovery complete</c>, clear <c>need_recovery</c>, close the gate,
    /// forget culprits and suppress recoveries for <c>RerecoveryTimeout</c>.
    /// </summary>
    public RecoveryStep OnReconfigureSent(bool succeeded, RecoveryEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        Expect(Stage.AwaitingReconfigure);
        if (!succeeded)
        {
            return Fail([new RecdAction.Log(LogLine.Error("Failed to send reconfigure message").WithFunction(Function))], RecoveryFailure.ReconfigureFailed);
        }

        var actions = new List<RecdAction>();
        actions.Log(LogLine.Notice("Recovery complete").WithFunction(Function));
        Memory = Memory with { NeedRecovery = false };
        _recoveries.End();
        _gateBegun = false;
        actions.Log(_culprits.Reset());
        var seconds = env.Tunables.RerecoveryTimeout;
        actions.Log(LogLine.Notice(
            $"Just finished a recovery. New recoveries will now be suppressed for the rerecovery timeout ({seconds} seconds)"));
        actions.Log(_recoveries.Disable(seconds, env.Now).Log);
        _stage = Stage.Finished;
        return new RecoveryStep(Memory, actions, null, new RecoveryOutcome(true));
    }

    /// <summary>
    /// Rule 9: the shell stops following this procedure (an election started meanwhile). Closes
    /// the gate; <c>need_recovery</c> stays as it is.
    /// </summary>
    public RecoveryStep Abandon()
    {
        if (_stage == Stage.Finished)
        {
            return new RecoveryStep(Memory, [], null, new RecoveryOutcome(false, RecoveryFailure.Abandoned));
        }

        return Fail([], RecoveryFailure.Abandoned);
    }

    private RecoveryStep StartHelper(List<RecdAction> actions)
    {
        Generation = GenerationChooser.Next(_random);
        return Wait(Stage.AwaitingHelper, actions, new RecoveryRequest.RunRecoveryHelper(Generation.Value));
    }
}
