using CtdbInterop.Recoverd.Core.Actions;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>The I/O a recovery step waits for; each names the method that takes its result.</summary>
public abstract record RecoveryRequest
{
    private protected RecoveryRequest()
    {
    }

    /// <summary>
    /// Rules 1 and 4: GET_NODEMAP from the own PNN and GET_CAPABILITIES from the own node →
    /// <see cref="RecoveryProcedure.OnOwnStateFetched"/>.
    /// </summary>
    public sealed record FetchOwnState : RecoveryRequest;

    /// <summary>B51: GET_CAPABILITIES from <paramref name="Nodes"/> in parallel → <see cref="RecoveryProcedure.OnCapabilitiesRefreshed"/>.</summary>
    public sealed record RefreshCapabilities(IReadOnlyList<uint> Nodes) : RecoveryRequest;

    /// <summary>
    /// B52: execute every push (MODIFY_FLAGS to all connected nodes) → report the PNNs whose push
    /// failed to <see cref="RecoveryProcedure.OnFlagsPushed"/>.
    /// </summary>
    public sealed record PushFlags(IReadOnlyList<RecdAction.PushNodeFlags> Pushes) : RecoveryRequest;

    /// <summary>
    /// B53: set <c>CTDB_DBDIR_STATE</c> and run <c>ctdb_recovery_helper &lt;fd&gt; &lt;socket&gt; &lt;generation&gt;</c>.
    /// While it runs call <see cref="RecoveryProcedure.CheckWhileHelperRuns"/> about once a second
    /// (rule 6, B60); report the result to <see cref="RecoveryProcedure.OnRecoveryHelperFinished"/>.
    /// </summary>
    public sealed record RunRecoveryHelper(uint Generation) : RecoveryRequest;

    /// <summary>
    /// B54: a takeover run with the cached node map (<c>TakeoverRun.Begin</c>/<c>Finish</c>) →
    /// <see cref="RecoveryProcedure.OnTakeoverRunFinished"/>.
    /// </summary>
    public sealed record RunTakeover : RecoveryRequest;

    /// <summary>B55: <c>CTDB_SRVID_RECONFIGURE</c> to <c>CTDB_BROADCAST_CONNECTED</c> → <see cref="RecoveryProcedure.OnReconfigureSent"/>.</summary>
    public sealed record BroadcastReconfigure : RecoveryRequest;
}
