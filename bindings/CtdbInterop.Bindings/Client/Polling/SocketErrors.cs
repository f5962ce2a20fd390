using System.Net.Sockets;

namespace CtdbInterop.Bindings.Client.Polling;

/// <summary>
/// The <see cref="SocketError"/> that .NET's sockets report for an errno of recv(2) or
/// send(2) (Linux numbers), so that a connection read through <see cref="PollNative"/>
/// explains its failures in the same words as one read through <see cref="Socket"/>.
/// </summary>
internal static class SocketErrors
{
    public static SocketError FromErrno(int errno) => errno switch
    {
        PollNative.EINTR => SocketError.Interrupted,
        9 /* EBADF */ => SocketError.OperationAborted,
        PollNative.EAGAIN => SocketError.WouldBlock,
        13 /* EACCES */ => SocketError.AccessDenied,
        14 /* EFAULT */ => SocketError.Fault,
        22 /* EINVAL */ => SocketError.InvalidArgument,
        32 /* EPIPE */ => SocketError.Shutdown,
        88 /* ENOTSOCK */ => SocketError.NotSocket,
        89 /* EDESTADDRREQ */ => SocketError.DestinationAddressRequired,
        90 /* EMSGSIZE */ => SocketError.MessageSize,
        95 /* EOPNOTSUPP */ => SocketError.OperationNotSupported,
        103 /* ECONNABORTED */ => SocketError.ConnectionAborted,
        104 /* ECONNRESET */ => SocketError.ConnectionReset,
        105 /* ENOBUFS */ => SocketError.NoBufferSpaceAvailable,
        106 /* EISCONN */ => SocketError.IsConnected,
        107 /* ENOTCONN */ => SocketError.NotConnected,
        108 /* ESHUTDOWN */ => SocketError.Disconnecting,
        110 /* ETIMEDOUT */ => SocketError.TimedOut,
        111 /* ECONNREFUSED */ => SocketError.ConnectionRefused,
        _ => SocketError.SocketError,
    };
}
