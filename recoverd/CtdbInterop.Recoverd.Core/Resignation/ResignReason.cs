using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;

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

    public string Describe() => Cause switch
    {
        ResignCause.NodeInactive => $"this node is inactive, flags={ObservedFlags.ToHex()}",
        ResignCause.LeaderCapabilityWithdrawn => "this node no longer has the leader capability",
        ResignCause.Shutdown => "shutting down",
        _ => Cause.ToString(),
    };
}
