using System.Text;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Native;

/// <summary>
/// Makes sure descriptors 0–2 are open (on /dev/null if they were closed), so that no pipe
/// or socket of ours can land on them and be mistaken for stdin/stdout/stderr by a helper.
/// </summary>
internal static class StandardDescriptors
{
    public static unsafe void EnsureOpen()
    {
        var devNull = Encoding.UTF8.GetBytes("/dev/null\0");
        for (var fd = 0; fd <= 2; fd++)
        {
            if (LibC.fcntl(fd, LibC.F_GETFD) != -1 || LibC.errno != LibC.EBADF)
            {
                continue;
            }

            fixed (byte* path = devNull)
            {
                // open() returns the lowest free number, i.e. this one.
                _ = LibC.open(path, LibC.O_RDWR, 0);
            }
        }
    }
}
