using System.Runtime.InteropServices;
using System.Text;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Native;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Processes;

/// <summary>
/// Starts helper programs with posix_spawn (glibc: clone + exec, safe in a multithreaded
/// process). The child gets: stdin/stdout/stderr as ours unless remapped; exactly the
/// mapped descriptors above them, everything else closed (closefrom in the child, on top of
/// close-on-exec everywhere); an empty signal mask and default dispositions for every
/// signal (the .NET runtime ignores SIGPIPE, and a mutex helper must die on SIGTERM).
/// System.Diagnostics.Process cannot pass descriptors, so it is not used.
/// </summary>
/// <remarks>
/// posix_spawn cannot set PR_SET_PDEATHSIG in the child, so helpers do not die with us by
/// themselves: ctdb's recovery and takeover helpers fail when ctdbd (which outlives us in
/// normal operation) drops them, and ctdb_mutex_fcntl_helper checks every 5 s that its
/// parent still exists and exits otherwise.
/// </remarks>
internal sealed class ProcessSpawner(EpollReactor reactor, CtdbLog? log = null, bool pidfds = true)
{
    // Cleared for good the first time pidfd_open is refused as unsupported or forbidden.
    private volatile bool _pidfds = pidfds;

    public EpollReactor Reactor => reactor;

    /// <summary>Whether children are held by pidfds (false: watched by polling waitpid).</summary>
    public bool UsesPidfds => _pidfds;

    /// <summary>Starts the program; throws <see cref="UnixException"/> when it cannot be started.</summary>
    public unsafe ChildProcess Spawn(SpawnRequest request)
    {
        ArgumentOutOfRangeException.ThrowIfZero(request.Arguments.Count);
        var highestTarget = 2;
        foreach (var mapping in request.Descriptors)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(mapping.Target);
            highestTarget = Math.Max(highestTarget, mapping.Target);
        }

        var firstClosed = highestTarget + 1;
        var sources = new List<SafeFd>();
        var temporaries = new List<SafeFd>();
        var added = new List<SafeFd>();
        var fileActions = NativeMemory.AllocZeroed(Libc.SpawnObjectSize);
        var attributes = NativeMemory.AllocZeroed(Libc.SpawnObjectSize);
        var actionsReady = false;
        var attributesReady = false;
        try
        {
            foreach (var mapping in request.Descriptors)
            {
                var refAdded = false;
                mapping.Source.DangerousAddRef(ref refAdded);
                added.Add(mapping.Source);

                // A source numbered at or below a target could be overwritten by an earlier
                // dup2 in the child: move it above all targets first (still close-on-exec).
                var source = mapping.Source;
                if (source.Fd <= highestTarget)
                {
                    var copy = LibC.fcntl(source.Fd, LibC.F_DUPFD_CLOEXEC, firstClosed);
                    if (copy < 0)
                    {
                        throw UnixException.FromLastError("fcntl(F_DUPFD_CLOEXEC)");
                    }

                    source = new SafeFd(copy);
                    temporaries.Add(source);
                }

                sources.Add(source);
            }

            Check(Libc.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            actionsReady = true;
            for (var i = 0; i < sources.Count; i++)
            {
                Check(Libc.posix_spawn_file_actions_adddup2(fileActions, sources[i].Fd, request.Descriptors[i].Target), "posix_spawn_file_actions_adddup2");
            }

            Check(Libc.posix_spawn_file_actions_addclosefrom_np(fileActions, firstClosed), "posix_spawn_file_actions_addclosefrom_np");

            Check(Libc.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            attributesReady = true;
            sigset_t emptyMask;
            sigset_t allSignals;
            Check(LibC.sigemptyset(&emptyMask), "sigemptyset");
            Check(LibC.sigfillset(&allSignals), "sigfillset");
            Check(Libc.posix_spawnattr_setsigmask(attributes, &emptyMask), "posix_spawnattr_setsigmask");
            Check(Libc.posix_spawnattr_setsigdefault(attributes, &allSignals), "posix_spawnattr_setsigdefault");
            Check(Libc.posix_spawnattr_setflags(attributes, Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF), "posix_spawnattr_setflags");

            var environment = new List<string>(request.Environment.Count);
            foreach (var (name, value) in request.Environment)
            {
                environment.Add(name + "=" + value);
            }

            using var argv = new NativeStringArray([.. request.Arguments]);
            using var envp = new NativeStringArray(environment);
            var path = Encoding.UTF8.GetBytes(request.Path + "\0");
            int pid;
            fixed (byte* pathPointer = path)
            {
                var error = Libc.posix_spawn(&pid, pathPointer, fileActions, attributes, argv.Pointer, envp.Pointer);
                if (error != 0)
                {
                    throw new UnixException($"posix_spawn({request.Path})", error);
                }
            }

            return Track(pid);
        }
        finally
        {
            if (actionsReady)
            {
                _ = Libc.posix_spawn_file_actions_destroy(fileActions);
            }

            if (attributesReady)
            {
                _ = Libc.posix_spawnattr_destroy(attributes);
            }

            NativeMemory.Free(fileActions);
            NativeMemory.Free(attributes);
            foreach (var temporary in temporaries)
            {
                temporary.Dispose();
            }

            foreach (var handle in added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private ChildProcess Track(int pid)
    {
        if (!_pidfds)
        {
            return new ChildProcess(pid);
        }

        var pidfd = Libc.pidfd_open(pid, 0);
        if (pidfd < 0)
        {
            var error = UnixException.FromLastError("pidfd_open");
            if (error.Errno == LibC.ENOSYS || error.Errno == LibC.EPERM)
            {
                // Kernels before 5.3, seccomp profiles of older container runtimes, valgrind.
                _pidfds = false;
                log?.Warning($"Cannot hold helper processes by pidfd ({error.Message}); watching them by polling waitpid instead");
                return new ChildProcess(pid);
            }

            // Without a pidfd we cannot watch the child: do not leave it running unseen.
            _ = LibC.kill(pid, LibC.SIGKILL);
            _ = Task.Run(() => ReapBlocking(pid));
            throw error;
        }

        return new ChildProcess(pid, new SafeFd(pidfd), reactor);
    }

    private static unsafe void ReapBlocking(int pid)
    {
        int status;
        while (Libc.waitpid(pid, &status, 0) < 0 && LibC.errno == LibC.EINTR)
        {
        }
    }

    private static void Check(int result, string operation)
    {
        if (result != 0)
        {
            throw new UnixException(operation, result);
        }
    }
}
