using CtdbInterop.Recoverd.Native;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Processes;

/// <summary>
/// A child we spawned, held by a pidfd: signals go through the pidfd (never to a recycled
/// PID), and the child is reaped with waitpid on its own PID as soon as the pidfd reports
/// its exit, so no other child of the process (the .NET runtime's) is ever reaped by us.
/// Where there is no pidfd (kernels before 5.3, seccomp filters that refuse pidfd_open),
/// the child is watched by polling waitpid on its PID instead; until we reap it the PID
/// stays ours (a zombie keeps it), so kill() on it cannot reach another process.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    // After the pidfd reports the exit, waitpid(WNOHANG) normally succeeds at once; these
    // bound the retries for the rare case where it does not yet.
    private static readonly TimeSpan ReapRetryDelay = TimeSpan.FromMilliseconds(5);
    private const int ReapRetries = 2000;

    // Without a pidfd: a quick first look (helpers that fail at once), then a few looks a
    // second, which bounds how late a lost cluster lock's helper exit is seen.
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(200);

    private readonly SafeFd? _pidfd;

    // Without a pidfd, reaping and signalling exclude each other: a signal never goes to a
    // PID that was reaped (and so may have been reused) in the meantime.
    private readonly Lock _reapLock = new();
    private bool _reaped;
    private int _disposed;

    public ChildProcess(int pid, SafeFd pidfd, EpollReactor reactor)
    {
        Pid = pid;
        _pidfd = pidfd;
        Exited = ReapAsync(reactor);
    }

    /// <summary>A child without a pidfd: its exit is found by polling waitpid.</summary>
    public ChildProcess(int pid)
    {
        Pid = pid;
        Exited = PollAsync();
    }

    public int Pid { get; }

    /// <summary>Completes with the exit status once the child has exited and been reaped.</summary>
    public Task<ChildExitStatus> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    /// <summary>Sends a signal unless the child has already been reaped; false when it was not delivered.</summary>
    public unsafe bool Signal(int signal)
    {
        if (HasExited)
        {
            return false;
        }

        if (_pidfd is null)
        {
            lock (_reapLock)
            {
                return !_reaped && LibC.kill(Pid, signal) == 0;
            }
        }

        var added = false;
        try
        {
            _pidfd.DangerousAddRef(ref added);
            return Libc.pidfd_send_signal(_pidfd.Fd, signal, null, 0) == 0;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                _pidfd.DangerousRelease();
            }
        }
    }

    /// <summary>Waits for the exit for at most <paramref name="timeout"/>; false when still running.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        if (HasExited)
        {
            return true;
        }

        var finished = await Task.WhenAny(Exited, Task.Delay(timeout)).ConfigureAwait(false);
        return finished == Exited;
    }

    /// <summary>
    /// Sends <paramref name="signal"/>, waits up to <paramref name="grace"/>, then SIGKILL
    /// and waits up to <paramref name="killWait"/>. True when the child is gone and reaped.
    /// </summary>
    public async Task<bool> TerminateAsync(int signal, TimeSpan grace, TimeSpan killWait)
    {
        Signal(signal);
        if (await WaitForExitAsync(grace).ConfigureAwait(false))
        {
            return true;
        }

        Signal(LibC.SIGKILL);
        return await WaitForExitAsync(killWait).ConfigureAwait(false);
    }

    /// <summary>Kills a still running child (SIGKILL); reaping continues in the background.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!HasExited)
        {
            Signal(LibC.SIGKILL);
        }

        // The reaper holds its own reference: the pidfd closes when it is done with it.
        _pidfd?.Dispose();
    }

    private async Task<ChildExitStatus> PollAsync()
    {
        var delay = FirstPoll;
        while (true)
        {
            lock (_reapLock)
            {
                if (TryReap(out var status))
                {
                    _reaped = true;
                    return status;
                }
            }

            await Task.Delay(delay).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestPoll.Ticks));
        }
    }

    private async Task<ChildExitStatus> ReapAsync(EpollReactor reactor)
    {
        await reactor.WaitReadableAsync(_pidfd!, CancellationToken.None).ConfigureAwait(false);
        for (var attempt = 0; attempt < ReapRetries; attempt++)
        {
            if (TryReap(out var status))
            {
                return status;
            }

            await Task.Delay(ReapRetryDelay).ConfigureAwait(false);
        }

        // Still not reapable after ~10 s of a reported exit: give up rather than hang.
        return ChildExitStatus.Unknown;
    }

    private unsafe bool TryReap(out ChildExitStatus result)
    {
        int status;
        while (true)
        {
            var pid = Libc.waitpid(Pid, &status, Libc.WNOHANG);
            if (pid == Pid)
            {
                result = ChildExitStatus.FromWaitStatus(status);
                return true;
            }

            if (pid == 0)
            {
                result = default;
                return false;
            }

            var errno = LibC.errno;
            if (errno == LibC.EINTR)
            {
                continue;
            }

            // ECHILD: already reaped elsewhere (SIGCHLD ignored, or a waitpid(-1) somewhere).
            result = ChildExitStatus.Unknown;
            return true;
        }
    }
}
