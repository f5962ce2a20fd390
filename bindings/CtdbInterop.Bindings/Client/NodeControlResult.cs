using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Client;

/// <summary>One node's outcome of a control sent to several nodes in parallel.</summary>
public readonly record struct NodeControlResult(uint Pnn, ControlReply? Reply, Exception? Error)
{
    /// <summary>True when the node replied with status 0 and no error text.</summary>
    public bool Succeeded => Error is null && Reply is { Status: 0, ErrorMessage: null };
}
