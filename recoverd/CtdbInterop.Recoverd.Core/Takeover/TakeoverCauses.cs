using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Takeover;

/// <summary>Why a takeover run starts, with the closed label set.</summary>
public static class TakeoverCauses
{
    public static IReadOnlyList<string> TriggerLabels { get; } = ["recovery", "requested", "previous_run_failed"];

    /// <summary>The result labels of <c>ctdb_recoverd_takeover_runs_total</c>.</summary>
    public static IReadOnlyList<string> ResultLabels { get; } = ["ok", "failed", "refused"];

    /// <summary>B54: the run at the end of a recovery.</summary>
    public static DecisionCause Recovery(uint ownPnn) =>
        new(DecisionKind.TakeoverRun, "recovery", $"recovery on leader {ownPnn} finished its database phase", ownPnn);

    /// <summary>B39/B66: queued requests (ctdb ipreallocate, stop, disable, ban, a node's IP check).</summary>
    public static DecisionCause Requested(uint ownPnn) => new(
        DecisionKind.TakeoverRun,
        "requested",
        $"takeover run requests are queued on leader {ownPnn} (ipreallocate, stop, disable, ban or an IP check)",
        ownPnn);

    /// <summary>B39: need_takeover_run is still set from a failed run.</summary>
    public static DecisionCause PreviousRunFailed(uint ownPnn) =>
        new(DecisionKind.TakeoverRun, "previous_run_failed", $"the previous takeover run on leader {ownPnn} failed (need_takeover_run set)", ownPnn);
}
