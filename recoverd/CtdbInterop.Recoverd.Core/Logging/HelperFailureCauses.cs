using System.Globalization;

namespace CtdbInterop.Recoverd.Core.Logging;

/// <summary>Which helper failed (label <c>helper</c> of <c>ctdb_recoverd_helper_failures_total</c>).</summary>
public enum HelperName
{
    Recovery,
    Takeover,
    ClusterMutex,
}

/// <summary>How a helper failed (label <c>kind</c>).</summary>
public enum HelperFailureKind
{
    /// <summary>It reported an error (a non-zero result, or none at all).</summary>
    Failed,

    /// <summary>It did not answer in time.</summary>
    Timeout,

    /// <summary>This daemon killed it (leadership moved, the node became inactive, shutdown).</summary>
    Aborted,

    /// <summary>It could not be started.</summary>
    NotStarted,
}

/// <summary>The cause of a helper failure and its log line (the helpers log their own details to ctdbd's log).</summary>
public static class HelperFailureCauses
{
    public static IReadOnlyList<string> HelperLabels { get; } = Enum.GetValues<HelperName>().Select(Label).ToArray();

    public static IReadOnlyList<string> KindLabels { get; } = Enum.GetValues<HelperFailureKind>().Select(Label).ToArray();

    public static string Label(HelperName helper) => helper switch
    {
        HelperName.Recovery => "recovery",
        HelperName.Takeover => "takeover",
        _ => "cluster_mutex",
    };

    public static string Label(HelperFailureKind kind) => kind switch
    {
        HelperFailureKind.Failed => "failed",
        HelperFailureKind.Timeout => "timeout",
        HelperFailureKind.Aborted => "aborted",
        _ => "not_started",
    };

    /// <summary>
    /// The failure of one helper run. <paramref name="result"/> is the helper's reported value (an
    /// errno, 32 = EPIPE when it wrote nothing, -1 when it never started) where there is one.
    /// </summary>
    public static LogLine Line(HelperName helper, HelperFailureKind kind, uint ownPnn, int? result = null, string? why = null)
    {
        var name = Label(helper).Replace('_', ' ');
        var text = kind switch
        {
            HelperFailureKind.Failed => result is 32
                ? $"{name} helper ended without a result (EPIPE) on node {ownPnn}; see its own lines in the ctdb log"
                : $"{name} helper reported error {result?.ToString(CultureInfo.InvariantCulture) ?? "?"} on node {ownPnn}, expected 0",
            HelperFailureKind.Timeout => $"{name} helper did not answer in time on node {ownPnn}",
            HelperFailureKind.Aborted => $"{name} helper killed on node {ownPnn}" + (why is null ? string.Empty : $": {why}"),
            _ => $"{name} helper could not be started on node {ownPnn}",
        };
        var cause = new DecisionCause(
            DecisionKind.HelperFailure,
            Label(kind),
            text,
            ownPnn,
            result?.ToString(CultureInfo.InvariantCulture),
            kind == HelperFailureKind.Failed ? "0" : null,
            Label(helper));
        var line = kind == HelperFailureKind.Aborted
            ? LogLine.Notice($"{Capitalised(name)} helper aborted")
            : LogLine.Error($"{Capitalised(name)} helper failed");
        return line.Because(cause);
    }

    private static string Capitalised(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
