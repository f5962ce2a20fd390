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

    /// <summary>The flag names as <c>ctdb status</c> shows them (<c>STOPPED|BANNED</c>), or <c>OK</c> for none.</summary>
    public static string Names(this NodeFlags flags)
    {
        if (flags == 0)
        {
            return "OK";
        }

        var names = new List<string>(6);
        Add(NodeFlags.Disconnected, "DISCONNECTED");
        Add(NodeFlags.Unhealthy, "UNHEALTHY");
        Add(NodeFlags.PermanentlyDisabled, "DISABLED");
        Add(NodeFlags.Banned, "BANNED");
        Add(NodeFlags.Deleted, "DELETED");
        Add(NodeFlags.Stopped, "STOPPED");
        return string.Join('|', names);

        void Add(NodeFlags bit, string name)
        {
            if ((flags & bit) != 0)
            {
                names.Add(name);
            }
        }
    }
}
