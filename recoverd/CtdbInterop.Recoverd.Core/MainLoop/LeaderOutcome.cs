using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>Why the leader checks ended the iteration without acting.</summary>
public enum LeaderHaltReason
{
    /// <summary>B27: some remote node map could not be read.</summary>
    RemoteNodeMapsFailed,

    /// <summary>B30: the own vnn map could not be read.</summary>
    LocalVnnMapFailed,

    /// <summary>B32: some recovery mode could not be read (and none was ACTIVE).</summary>
    RecoveryModeReadFailed,

    /// <summary>B38: a remote vnn map could not be read.</summary>
    RemoteVnnMapFailed,
}

/// <summary>
/// What the leader checks decided. In every case: log <see cref="Logs"/>, then give each PNN in
/// <see cref="Culprits"/> one credit (<c>CulpritTable.Add(pnn, 1, …)</c>), then act on the case.
/// </summary>
public abstract record LeaderOutcome(IReadOnlyList<LogLine> Logs, IReadOnlyList<uint> Culprits)
{
    /// <summary>End the iteration.</summary>
    public sealed record Halt(LeaderHaltReason Reason, IReadOnlyList<LogLine> Logs, IReadOnlyList<uint> Culprits)
        : LeaderOutcome(Logs, Culprits);

    /// <summary>B29: reload the node list (<c>RecdAction.ReloadNodeList</c>) and end the iteration.</summary>
    public sealed record ReloadNodes(IReadOnlyList<LogLine> Logs) : LeaderOutcome(Logs, []);

    /// <summary>Run the recovery procedure (<c>RecoveryProcedure</c>) and end the iteration.</summary>
    public sealed record Recover(RecoveryCause Cause, IReadOnlyList<LogLine> Logs, IReadOnlyList<uint> Culprits)
        : LeaderOutcome(Logs, Culprits);

    /// <summary>B39/B66: process the takeover-run requests (a takeover run, then the replies).</summary>
    public sealed record TakeoverRun(DecisionCause? Cause = null) : LeaderOutcome([], []);

    /// <summary>Nothing to do.</summary>
    public sealed record AllGood() : LeaderOutcome([], []);
}
