using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Resignation;

/// <summary>Why a leader gives up leadership (§3.3).</summary>
public enum ResignCause
{
    /// <summary>Own flags gained an INACTIVE bit (stopped, banned, …).</summary>
    NodeInactive,

    /// <summary>Own capabilities lost <c>CTDB_CAP_RECMASTER</c> (<c>ctdb setleaderrole off</c>).</summary>
    LeaderCapabilityWithdrawn,

    /// <summary>SIGTERM (optional resignation, §3.3).</summary>
    Shutdown,
}

/// <summary>A resignation cause with the flags that were observed, as data for logs and metrics.</summary>
public sealed record ResignReason(ResignCause Cause, NodeFlags ObservedFlags = default)
{
    /// <summary>The reason for a node that can no longer lead, from its fresh flags and capabilities.</summary>
    /// <remarks>Only meaningful when the node cannot lead; INACTIVE flags take precedence.</remarks>
    public static ResignReason CannotLead(NodeFlags flags) =>
        new(flags.IsInactive() ? ResignCause.NodeInactive : ResignCause.LeaderCapabilityWithdrawn, flags);

    /// <summary>Every <see cref="ResignCause"/> label, for exporters that publish zero-valued series.</summary>
    public static IReadOnlyList<string> AllLabels { get; } = Enum.GetValues<ResignCause>().Select(Label).ToArray();

    public static string Label(ResignCause cause) => cause switch
    {
        ResignCause.NodeInactive => "inactive",
        ResignCause.LeaderCapabilityWithdrawn => "capability_withdrawn",
        ResignCause.Shutdown => "shutdown",
        _ => "other",
    };

    /// <summary>The resignation as decision data (the log line already names the reason; the cause adds the flag names).</summary>
    public DecisionCause ToDecision(uint ownPnn) => new(
        DecisionKind.Resignation,
        Label(Cause),
        Cause switch
        {
            ResignCause.NodeInactive => $"own flags {ObservedFlags.Names()} on node {ownPnn}, expected no inactive flag",
            ResignCause.LeaderCapabilityWithdrawn => $"node {ownPnn} lost CTDB_CAP_RECMASTER (ctdb setleaderrole off)",
            _ => $"SIGTERM received by the leader {ownPnn}",
        },
        ownPnn,
        ObservedFlags.Names());

    public string Describe() => Cause switch
    {
        ResignCause.NodeInactive => $"this node is inactive, flags={ObservedFlags.ToHex()}",
        ResignCause.LeaderCapabilityWithdrawn => "this node no longer has the leader capability",
        ResignCause.Shutdown => "shutting down",
        _ => Cause.ToString(),
    };
}
