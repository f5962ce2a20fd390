using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Integration.Tests.Bug16082;

/// <summary>What one ctdbd says about itself at one moment.</summary>
internal sealed record NodeView(int Node, CtdbRecoveryMode RecoveryMode, uint Generation, NodeMap Map)
{
    public NodeFlags OwnFlags => FlagsOf(Node);

    public bool IsActive => (OwnFlags & NodeFlags.Inactive) == 0;

    public NodeFlags FlagsOf(int node) => Map.Nodes.FirstOrDefault(n => n.Pnn == (uint)node)?.Flags ?? NodeFlags.Disconnected;

    public override string ToString() =>
        $"node {Node}: recmode {RecoveryMode}, generation {Generation}, own flags {OwnFlags}";
}
