using Tmds.Linux;

namespace CtdbInterop.Recoverd.Native;

/// <summary>
/// A pipe whose both ends are close-on-exec from the start (pipe2), so no child spawned
/// concurrently by anyone in this process can inherit them. The read end is non-blocking,
/// to be awaited with <see cref="EpollReactor"/>.
/// </summary>
internal static class UnixPipe
{
    public static unsafe (SafeFd ReadEnd, SafeFd WriteEnd) Create()
    {
        var fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) != 0)
        {
            throw UnixException.FromLastError("pipe2");
        }

        var readEnd = new SafeFd(fds[0]);
        var writeEnd = new SafeFd(fds[1]);
        if (LibC.fcntl(fds[0], LibC.F_SETFL, LibC.O_NONBLOCK) != 0)
        {
            var error = UnixException.FromLastError("fcntl(O_NONBLOCK)");
            readEnd.Dispose();
            writeEnd.Dispose();
            throw error;
        }

        return (readEnd, writeEnd);
    }

    /// <summary>
    /// One read(2) from a non-blocking descriptor: bytes read, 0 at end of file, or -1 when
    /// nothing is available yet (EAGAIN). Other errors throw.
    /// </summary>
    public static unsafe int Read(SafeFd fd, Span<byte> buffer)
    {
        var added = false;
        fd.DangerousAddRef(ref added);
        try
        {
            fixed (byte* p = buffer)
            {
                while (true)
                {
                    var n = (long)LibC.read(fd.Fd, p, buffer.Length);
                    if (n >= 0)
                    {
                        return (int)n;
                    }

                    var errno = LibC.errno;
                    if (errno == LibC.EINTR)
                    {
                        continue;
                    }

                    if (errno == LibC.EAGAIN)
                    {
                        return -1;
                    }

                    throw new UnixException("read", errno);
                }
            }
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }
}
