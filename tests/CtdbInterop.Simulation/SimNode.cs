using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Simulation;

/// <summary>One simulated ctdbd: the state its controls read and write.</summary>
internal sealed class SimNode(uint pnn, int nodeCount)
{
    public const uint InvalidGeneration = 1;

    public uint Pnn { get; } = pnn;

    public bool CtdbdUp { get; set; } = true;

    /// <summary>The node's own flags (STOPPED, BANNED), authoritative on this node.</summary>
    public NodeFlags OwnFlags { get; set; }

    /// <summary>This ctdbd's idea of the other nodes' flags (without DISCONNECTED, which is live).</summary>
    public NodeFlags[] View { get; set; } = new NodeFlags[nodeCount];

    public bool LeaderRole { get; set; } = true;

    public CtdbRecoveryMode RecoveryMode { get; set; } = CtdbRecoveryMode.Normal;

    public uint Generation { get; set; } = InvalidGeneration;

    public uint[] VnnMap { get; set; } = [];

    /// <summary>Virtual time (ticks) when an active ban ends.</summary>
    public long BannedUntil { get; set; }

    /// <summary>Increases with every ban so a stale unban timer does nothing.</summary>
    public int BanEpoch { get; set; }

    public SimDaemonHost? Daemon { get; set; }

    public CtdbCapabilities Capabilities =>
        LeaderRole ? CtdbCapabilities.Default : CtdbCapabilities.Default & ~CtdbCapabilities.Recmaster;

    public bool IsActive => CtdbdUp && (OwnFlags & NodeFlags.Inactive) == 0;

    public void ResetForRestart()
    {
        OwnFlags = 0;
        View = new NodeFlags[View.Length];
        RecoveryMode = CtdbRecoveryMode.Active;
        Generation = InvalidGeneration;
        VnnMap = [];
        BannedUntil = 0;
        BanEpoch++;
    }
}
