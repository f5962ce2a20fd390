using Tmds.Linux;

namespace CtdbInterop.Recoverd.Native;

/// <summary>Blocking write(2) of a whole buffer, for log descriptors.</summary>
internal static class FdWriter
{
    /// <summary>Writes everything, retrying on EINTR and short writes; false on any other error.</summary>
    public static unsafe bool WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            var offset = 0;
            while (offset < data.Length)
            {
                var written = (long)LibC.write(fd, start + offset, data.Length - offset);
                if (written < 0)
                {
                    if (LibC.errno == LibC.EINTR)
                    {
                        continue;
                    }

                    return false;
                }

                offset += (int)written;
            }
        }

        return true;
    }
}
