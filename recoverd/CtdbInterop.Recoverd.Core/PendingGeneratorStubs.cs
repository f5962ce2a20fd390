// TEMPORARY: stand-ins for the generator's output (bindings/CtdbInterop.Bindings/Generated),
// with the names and values the generator helper announced. Delete this file when
// wip/generator is merged; nothing else changes.
namespace CtdbInterop.Bindings.Generated;

#pragma warning disable CA1711 // C spelling is kept for generated names

[Flags]
public enum NodeFlags : uint
{
    Disconnected = 0x01,
    Unhealthy = 0x02,
    PermanentlyDisabled = 0x04,
    Banned = 0x08,
    Deleted = 0x10,
    Stopped = 0x20,
    Disabled = Unhealthy | PermanentlyDisabled,
    Inactive = Deleted | Disconnected | Banned | Stopped,
}

[Flags]
public enum CtdbCapabilities : uint
{
    Recmaster = 0x1,
    Lmaster = 0x2,
    Lvs = 0x4,
    Natgw = 0x8,
    ParallelRecovery = 0x10000,
    FragmentedControls = 0x20000,
}

public enum CtdbRecoveryMode : uint
{
    Normal = 0,
    Active = 1,
}

public static class CtdbConstants
{
    public const uint UnknownPnn = 0xFFFFFFFF;
    public const uint InvalidGeneration = 1;
    public const uint CurrentNode = 0xF0000001;
    public const uint BroadcastAll = 0xF0000002;
    public const uint BroadcastConnected = 0xF0000004;
}
