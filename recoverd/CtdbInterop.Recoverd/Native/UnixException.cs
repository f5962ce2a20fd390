using System.Runtime.InteropServices;

namespace CtdbInterop.Recoverd.Native;

/// <summary>A failed system call, with errno and the C library's text for it.</summary>
internal sealed class UnixException : Exception
{
    public UnixException(string operation, int errno)
        : base($"{operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Operation = operation;
        Errno = errno;
    }

    public UnixException()
        : this("unknown", 0)
    {
    }

    public UnixException(string message)
        : base(message)
    {
        Operation = "unknown";
    }

    public UnixException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "unknown";
    }

    public string Operation { get; }

    public int Errno { get; }

    /// <summary>Throws for the errno that the last libc call left behind.</summary>
    public static UnixException FromLastError(string operation) => new(operation, Marshal.GetLastPInvokeError());
}
