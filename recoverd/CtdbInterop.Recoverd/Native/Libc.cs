using System.Runtime.InteropServices;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Native;

/// <summary>
/// The few libc entry points that Tmds.LibC does not provide (posix_spawn, waitpid,
/// pidfd_*, prctl, syslog). Linux x86-64 glibc (2.36 on Debian 12) only.
/// </summary>
internal static unsafe partial class Libc
{
    private const string LibraryName = "libc.so.6";

    // <spawn.h>
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    // glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 bytes on
    // x86-64; callers allocate this much (rounded up) and let the init functions fill it.
    public const int SpawnObjectSize = 512;

    // <sys/wait.h>
    public const int WNOHANG = 1;

    // <sys/prctl.h>
    public const int PR_SET_PDEATHSIG = 1;
    public const int PR_GET_PDEATHSIG = 2;
    public const int PR_SET_NAME = 15;
    public const int PR_GET_NAME = 16;

    // <signal.h>
    public const nint SIG_DFL = 0;
    public const nint SIG_IGN = 1;

    // glibc's struct sigaction is 152 bytes on x86-64, its handler first; callers pass this much.
    public const int SigactionSize = 256;

    // <syslog.h>
    public const int LOG_PID = 0x01;
    public const int LOG_DAEMON = 3 << 3;

    /// <summary>Reads (<paramref name="act"/> null) or sets a signal's disposition; see <see cref="SigactionSize"/>.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int sigaction(int signum, void* act, void* oldact);

    /// <summary>Sets a signal's disposition; returns the previous one (SIG_ERR = -1 on failure).</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint signal(int signum, nint handler);

    [LibraryImport(LibraryName)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(LibraryName)]
    public static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(LibraryName)]
    public static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(LibraryName)]
    public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    [LibraryImport(LibraryName)]
    public static partial int posix_spawn_file_actions_addclosefrom_np(void* fileActions, int from);

    [LibraryImport(LibraryName)]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(LibraryName)]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(LibraryName)]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(LibraryName)]
    public static partial int posix_spawnattr_setsigmask(void* attr, sigset_t* mask);

    [LibraryImport(LibraryName)]
    public static partial int posix_spawnattr_setsigdefault(void* attr, sigset_t* signals);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int pidfd_open(int pid, uint flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int pidfd_send_signal(int pidfd, int signal, void* info, uint flags);

    // prctl is variadic; on x86-64 integer arguments travel in the same registers either way.
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(LibraryName)]
    public static partial void openlog(byte* ident, int option, int facility);

    // syslog is variadic; called only as syslog(priority, "%s", text), whose pointer
    // arguments use the integer registers of the x86-64 calling convention.
    [LibraryImport(LibraryName)]
    public static partial void syslog(int priority, byte* format, byte* text);

    [LibraryImport(LibraryName)]
    public static partial void closelog();
}
