using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Gates;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Takeover;

/// <summary>
/// One step of a takeover run: actions to execute, then either <see cref="Running"/> (start the
/// takeover helper with <see cref="TakeoverRun.RebalanceArgument"/>, report via
/// <see cref="TakeoverRun.Finish"/>) or <see cref="Succeeded"/> (the run is over).
/// </summary>
public sealed record TakeoverRunStep(IReadOnlyList<RecdAction> Actions, TakeoverRun? Running, bool? Succeeded)
{
    /// <summary>B63 step 8: <c>need_takeover_run</c> after a finished run.</summary>
    public bool NeedTakeoverRun => Succeeded == false;
}

/// <summary>
/// B63 <c>do_takeover_run()</c> as two decisions around the helper (B64): <see cref="Begin"/> and
/// <see cref="Finish"/>. For B66 detach the request queue before and send
/// <see cref="PendingTakeoverRequests.Replies"/> after.
/// </summary>
public sealed class TakeoverRun
{
    /// <summary>B63 step 3: other nodes stop triggering takeover runs for 60 s while IPs move.</summary>
    public const uint DisableSeconds = 60;

    private readonly OperationGate _gate;
    private readonly RebalanceTargets _rebalance;
    private readonly long _rebalanceVersion;
    private bool _finished;

    private TakeoverRun(OperationGate gate, RebalanceTargets rebalance, IReadOnlyList<uint> disabledNodes)
    {
        _gate = gate;
        _rebalance = rebalance;
        _rebalanceVersion = rebalance.Version;
        RebalanceTargets = rebalance.Current;
        DisabledNodes = disabledNodes;
    }

    /// <summary>The forced-rebalance PNNs given to the helper (empty = no third argument).</summary>
    public IReadOnlyList<uint> RebalanceTargets { get; }

    /// <summary>The helper's third argument: PNNs joined with ',' or null when there are none (B64).</summary>
    public string? RebalanceArgument => RebalanceTargets.Count == 0 ? null : string.Join(',', RebalanceTargets);

    /// <summary>The nodes whose takeover runs were disabled (connected, not self).</summary>
    public IReadOnlyList<uint> DisabledNodes { get; }

    /// <summary>
    /// Steps 1-3: log <c>Takeover run starting</c>; refuse when a run is in progress or the gate
    /// is disabled (the run then ends unsuccessful); otherwise begin the gate and disable takeover
    /// runs on every other connected node of <paramref name="nodeMap"/> for 60 s.
    /// </summary>
    public static TakeoverRunStep Begin(OperationGate gate, RebalanceTargets rebalance, NodeMapView? nodeMap, uint ownPnn, DecisionCause? cause = null)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(rebalance);
        var actions = new List<RecdAction>();
        var starting = LogLine.Notice("Takeover run starting");
        actions.Log(cause is null ? starting : starting.Because(cause));

        if (gate.IsInProgress)
        {
            // The C code also clears the other run's in-progress mark here; runs cannot nest in
            // this design, so the mark is left to its owner.
            actions.Log(LogLine.Error("takeover run already in progress").AtLocation("do_takeover_run"));
            return Unsuccessful(actions);
        }

        if (!gate.TryBegin(out var refusal))
        {
            actions.Log(refusal!);
            return Unsuccessful(actions);
        }

        var nodes = (nodeMap?.ConnectedPnns() ?? []).Where(p => p != ownPnn).ToArray();
        actions.Add(new RecdAction.DisableTakeoverRunsOn(nodes, DisableSeconds));
        return new TakeoverRunStep(actions, new TakeoverRun(gate, rebalance, nodes), null);
    }

    /// <summary>
    /// Steps 5-8 after the helper: re-enable takeover runs on the same nodes; on success clear the
    /// rebalance targets unless they changed meanwhile; end the gate; log the outcome.
    /// </summary>
    public TakeoverRunStep Finish(bool helperSucceeded)
    {
        if (_finished)
        {
            throw new InvalidOperationException("This takeover run has already finished.");
        }

        _finished = true;
        var actions = new List<RecdAction> { new RecdAction.DisableTakeoverRunsOn(DisabledNodes, 0) };
        if (!helperSucceeded)
        {
            actions.Log(LogLine.Error("ctdb_takeover_run() failed"));
        }
        else if (_rebalance.ClearIfUnchanged(_rebalanceVersion) is { } warning)
        {
            actions.Log(warning);
        }

        _gate.End();
        actions.Log(Outcome(helperSucceeded));
        return new TakeoverRunStep(actions, null, helperSucceeded);
    }

    private static TakeoverRunStep Unsuccessful(List<RecdAction> actions)
    {
        actions.Log(Outcome(false));
        return new TakeoverRunStep(actions, null, false);
    }

    private static LogLine Outcome(bool ok) => LogLine.Notice(ok ? "Takeover run completed successfully" : "Takeover run unsuccessful");
}
