using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.Resignation;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>B47-B51 and the step plumbing.</summary>
public sealed partial class RecoveryProcedure
{
    /// <summary>B47-B51 once the entry guard allowed the recovery.</summary>
    private RecoveryStep AfterEntryChecks(RecoveryEnvironment env, List<RecdAction> actions)
    {
        // B47: any later failure makes the next iteration retry (B31).
        Memory = Memory with { NeedRecovery = true };
        if (!_recoveries.TryBegin(out var refusal))
        {
            actions.Log(refusal!);
            return Fail(actions, RecoveryFailure.RecoveriesDisabled);
        }

        _gateBegun = true;

        // B48
        if (env.ElectionInProgress)
        {
            actions.Log(LogLine.Error("do_recovery called while election in progress - try again later").WithFunction(Function));
            return Fail(actions, RecoveryFailure.ElectionInProgress);
        }

        // B49
        var map = Memory.NodeMap ?? throw new InvalidOperationException("A recovery needs a node map.");
        var bans = MisbehavingNodes.Ban(_culprits, map.Count, OwnPnn, Memory.NodeListCount, env.Tunables.RecoveryBanPeriod);
        actions.AddRange(bans.Actions);
        if (bans.SelfBanned)
        {
            actions.Log(LogLine.Notice("This node was banned, aborting recovery").WithFunction(Function));
            return Fail(actions, RecoveryFailure.SelfBanned);
        }

        // B50 (rule 7: "held" is the strong definition, decided by the election's lock state)
        if (env.ClusterLockConfigured && !env.ClusterLockHeld)
        {
            if (env.Leader != OwnPnn)
            {
                actions.Log(LogLine.Notice($"Leader changed to {env.Leader}, aborting recovery"));
                Memory = Memory with { NeedRecovery = false };
                return Fail(actions, RecoveryFailure.NotLeader);
            }

            actions.Log(LogLine.Error("Cluster lock not held - abort recovery, ban node"));
            actions.AddRange(Banning.BanNode(OwnPnn, Memory.NodeListCount, env.Tunables.RecoveryBanPeriod, Banning.ClusterLockNotHeld(OwnPnn)));
            return Fail(actions, RecoveryFailure.ClusterLockNotHeld);
        }

        // B51
        actions.Log(LogLine.Notice($"Recovery initiated due to problem with node {_culprits.LastCulprit}").WithFunction(Function));
        return Wait(Stage.AwaitingCapabilities, actions, new RecoveryRequest.RefreshCapabilities(map.ActivePnns()));
    }

    private RecoveryStep Refuse(List<RecdAction> actions, RecoveryVerdict.Refused refused)
    {
        foreach (var line in refused.Logs)
        {
            actions.Log(line);
        }

        var failure = refused.Reason switch
        {
            RecoveryRefusal.NodeMapFetchFailed => RecoveryFailure.NodeMapFetchFailed,
            RecoveryRefusal.NotLeader => RecoveryFailure.NotLeader,
            _ => RecoveryFailure.CannotLead,
        };
        return Fail(actions, failure, refused.Resign);
    }

    private RecoveryStep Fail(IReadOnlyList<RecdAction> actions, RecoveryFailure failure, ResignReason? resign = null)
    {
        if (_gateBegun)
        {
            _recoveries.End();
            _gateBegun = false;
        }

        _stage = Stage.Finished;
        return new RecoveryStep(Memory, actions, null, new RecoveryOutcome(false, failure, resign));
    }

    private RecoveryStep Wait(Stage stage, IReadOnlyList<RecdAction> actions, RecoveryRequest request)
    {
        _stage = stage;
        return new RecoveryStep(Memory, actions, request, null);
    }

    private void Expect(Stage stage)
    {
        if (_stage != stage)
        {
            throw new InvalidOperationException($"Recovery step out of order: expected {stage}, at {_stage}.");
        }
    }
}
