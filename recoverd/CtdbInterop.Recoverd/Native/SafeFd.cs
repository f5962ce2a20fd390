using System.Runtime.InteropServices;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Native;

/// <summary>An owned file descriptor (pipe end, pidfd, epoll or eventfd) closed on dispose.</summary>
internal sealed class SafeFd : SafeHandle
{
    public SafeFd(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    /// <summary>The descriptor number; valid only while the handle is open.</summary>
    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
