using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// Typed controls: a factory per request and a parser per reply. Parsers throw
/// <see cref="CtdbControlException"/> for a reply that reports failure and
/// <see cref="CtdbProtocolException"/> for a payload of the wrong shape.
/// This file holds the shared rules; the controls are in Controls.*.cs.
/// </summary>
public static partial class Controls
{
    /// <summary>
    /// A control whose result is in the status: error text or a negative status is failure;
    /// otherwise the status is the value.
    /// </summary>
    public static int ResultInStatus(CtdbControl opcode, ControlReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.ErrorMessage is not null || reply.Status < 0)
        {
            throw Failure(opcode, reply);
        }

        return reply.Status;
    }

    /// <summary>Throws unless the reply has status 0 and no error text; returns its payload.</summary>
    public static ReadOnlySpan<byte> EnsureSuccess(CtdbControl opcode, ControlReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (!reply.IsSuccess)
        {
            throw Failure(opcode, reply);
        }

        return reply.Data.Span;
    }

    private static CtdbControlException Failure(CtdbControl opcode, ControlReply reply) =>
        // Like the C client: error text with status 0 still counts as failure, reported as -1.
        new(opcode, reply.Status == 0 ? -1 : reply.Status, reply.ErrorMessage);

    private static ControlRequest Request(CtdbControl opcode, uint destNode, ReadOnlyMemory<byte> data = default, uint flags = 0, ulong srvid = 0) =>
        new(opcode, destNode, srvid, 0, flags, data);

    private static T Payload<T>(CtdbControl opcode, ControlReply reply, string what)
        where T : IWireType<T> =>
        WireType.Decode<T>(EnsureSuccess(opcode, reply), what);
}
