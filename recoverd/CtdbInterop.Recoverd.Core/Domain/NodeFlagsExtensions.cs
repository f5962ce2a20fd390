using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>The flag tests ctdb's code names: "active", "connected", "inactive".</summary>
public static class NodeFlagsExtensions
{
    public static bool IsInactive(this NodeFlags flags) => (flags & NodeFlags.Inactive) != 0;

    public static bool IsActive(this NodeFlags flags) => !flags.IsInactive();

    public static bool IsConnected(this NodeFlags flags) => (flags & NodeFlags.Disconnected) == 0;

    /// <summary>The C daemon prints flags with <c>0x%x</c>.</summary>
    public static string ToHex(this NodeFlags flags) => "0x" + ((uint)flags).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    public static bool CanLead(this CtdbCapabilities capabilities) => (capabilities & CtdbCapabilities.Recmaster) != 0;

    public static bool IsLmaster(this CtdbCapabilities capabilities) => (capabilities & CtdbCapabilities.Lmaster) != 0;
}
