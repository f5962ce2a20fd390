using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>One slot of a node map as the decisions need it: the PNN and its flags.</summary>
public readonly record struct NodeEntry(uint Pnn, NodeFlags Flags)
{
    /// <summary>No INACTIVE bit (BANNED, STOPPED, DISCONNECTED, DELETED).</summary>
    public bool IsActive => Flags.IsActive();

    public bool IsConnected => Flags.IsConnected();
}
