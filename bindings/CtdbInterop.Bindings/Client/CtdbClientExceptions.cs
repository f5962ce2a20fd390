using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Client;

/// <summary>The connection to ctdbd is gone; every pending and later call fails with this.</summary>
public sealed class CtdbConnectionLostException : Exception
{
    public CtdbConnectionLostException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A control got no reply within its time limit.</summary>
public sealed class CtdbControlTimeoutException : TimeoutException
{
    public CtdbControlTimeoutException(CtdbControl opcode, uint destNode, TimeSpan timeout)
        : base($"control {opcode} to node {FormatNode(destNode)} timed out after {timeout.TotalSeconds:0.###} s")
    {
        Opcode = opcode;
        DestNode = destNode;
        Timeout = timeout;
    }

    public CtdbControl Opcode { get; }

    public uint DestNode { get; }

    public TimeSpan Timeout { get; }

    internal static string FormatNode(uint node) => node switch
    {
        CtdbConstants.CurrentNode => "current",
        CtdbConstants.BroadcastAll => "broadcast-all",
        CtdbConstants.BroadcastActive => "broadcast-active",
        CtdbConstants.BroadcastConnected => "broadcast-connected",
        _ => node.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
