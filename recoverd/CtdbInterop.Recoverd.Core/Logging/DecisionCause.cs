namespace CtdbInterop.Recoverd.Core.Logging;

/// <summary>The kinds of decision that are logged with their cause and counted in the metrics.</summary>
public enum DecisionKind
{
    /// <summary>A recovery starts (<c>Starting do_recovery</c>); the check is a <c>RecoveryCheck</c>.</summary>
    Recovery,

    /// <summary>The pre-recovery guard refused (bug 16082); the check is a <c>RecoveryRefusal</c>.</summary>
    RecoveryRefused,

    /// <summary>This node starts an election.</summary>
    Election,

    /// <summary>This node takes part in an election another node started.</summary>
    ElectionJoined,

    /// <summary>The leader this node believes in changes.</summary>
    LeaderChanged,

    /// <summary>This node gives up leadership; the check is a <c>ResignCause</c>.</summary>
    Resignation,

    /// <summary>A node is banned.</summary>
    Ban,

    /// <summary>A takeover run starts.</summary>
    TakeoverRun,

    /// <summary>The cluster lock is taken, lost or could not be taken.</summary>
    ClusterLock,

    /// <summary>A recovery, takeover or cluster mutex helper failed or timed out.</summary>
    HelperFailure,
}

/// <summary>
/// Why a decision was taken, as the decision core saw it when it took it: the check that fired
/// (<see cref="Check"/>, a label from a closed set, also the metric label), the node concerned,
/// the observed and the expected value where the check compares values, and the sentence
/// administrators read (<see cref="Text"/>, appended to the event's log line as
/// <c>(cause: …)</c>). <see cref="Subject"/> is a second closed label where the metric needs one
/// (the helper of a helper failure).
/// </summary>
public sealed record DecisionCause(
    DecisionKind Kind,
    string Check,
    string Text,
    uint? Node = null,
    string? Observed = null,
    string? Expected = null,
    string? Subject = null);
