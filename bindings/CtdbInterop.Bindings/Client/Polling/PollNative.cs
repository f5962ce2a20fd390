using System.Runtime.InteropServices;

namespace CtdbInterop.Bindings.Client.Polling;

/// <summary>
/// poll(2) and eventfd(2) from glibc (Linux x86-64), for <see cref="ReadinessPoller"/>, and
/// recv(2) for <see cref="PolledConnection"/>.
/// </summary>
internal static unsafe partial class PollNative
{
    private const string LibraryName = "libc.so.6";

    public const short POLLIN = 0x001;
    public const short POLLOUT = 0x004;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const short POLLNVAL = 0x020;

    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    public const int EINTR = 4;
    public const int EAGAIN = 11;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int eventfd(uint initialValue, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint read(int fd, void* buffer, nuint count);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint write(int fd, void* buffer, nuint count);

    [LibraryImport(LibraryName)]
    public static partial int close(int fd);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint recv(int fd, void* buffer, nuint length, int flags);
}
