using System.Diagnostics;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Native;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Processes;

/// <summary>
/// One run of a cluster mutex helper (B88–B91). The helper is our direct child (the fcntl
/// helper watches its parent PID), its stdout is a pipe to us, its stderr stays ours (so it
/// lands in ctdbd's log) and SIGTERM has its default action in it. The first byte read
/// decides the attempt; after <c>'0'</c> end of file or the helper's exit means the lock is
/// lost. The lock is free only once the helper process is gone: <see cref="ReleaseAsync"/>
/// completes only then.
/// </summary>
internal sealed class ClusterMutexHelper : IClusterMutex, IAsyncDisposable
{
    /// <summary>ctdb's limit for one attempt; no answer by then counts as <c>'2'</c>.</summary>
    public static readonly TimeSpan DefaultAttemptLimit = TimeSpan.FromSeconds(120);

    /// <summary>How long a helper gets to exit after SIGTERM before SIGKILL.</summary>
    public static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(5);

    /// <summary>How long <see cref="ReleaseAsync"/> waits in all for the helper to be gone.</summary>
    public static readonly TimeSpan ReleaseLimit = TimeSpan.FromSeconds(30);

    private readonly ChildProcess _child;
    private readonly SafeFd _stdout;
    private readonly ProcessSpawner _spawner;
    private readonly CtdbLog _log;
    private readonly Stopwatch _started = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<ClusterMutexAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly Task _monitor;
    private ClusterMutexState _state = ClusterMutexState.Pending;
    private Task<bool>? _termination;

    // The daemon's decision core logs these events itself; stand-alone users get them here.
    private readonly bool _logEvents;

    private ClusterMutexHelper(ClusterMutexCommand command, ChildProcess child, SafeFd stdout, ProcessSpawner spawner, CtdbLog log, TimeSpan attemptLimit, bool logEvents)
    {
        _logEvents = logEvents;
        Command = command;
        _child = child;
        _stdout = stdout;
        _spawner = spawner;
        _log = log;
        _monitor = MonitorAsync(attemptLimit);
    }

    public ClusterMutexCommand Command { get; }

    private CtdbLog? EventLog() => _logEvents ? _log : null;

    public int Pid => _child.Pid;

    /// <summary>The helper's answer to the lock attempt.</summary>
    public Task<ClusterMutexAnswer> Answer => _answer.Task;

    /// <summary>Time from start to the answer (reported to ctdbd after a success, B92).</summary>
    public TimeSpan? Latency { get; private set; }

    public ClusterMutexState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Held = the helper answered <c>'0'</c> and has not exited since.</summary>
    public bool IsHeld => State == ClusterMutexState.Held;

    /// <summary>Completes when a held lock is lost (the helper exited on its own after <c>'0'</c>).</summary>
    public Task Lost => _lost.Task;

    /// <summary>Completes when the helper process has exited and been reaped.</summary>
    public Task<ChildExitStatus> Exited => _child.Exited;

    Task IClusterMutex.Exited => Exited;

    /// <summary>
    /// Starts an attempt: logs <c>Attempting to take cluster lock (…)</c> and spawns the
    /// helper. Throws <see cref="UnixException"/> when the helper cannot be started.
    /// </summary>
    public static ClusterMutexHelper Start(
        ClusterMutexCommand command,
        string lockString,
        ProcessSpawner spawner,
        CtdbLog log,
        TimeSpan? attemptLimit = null,
        bool logEvents = true)
    {
        if (logEvents)
        {
            log.Notice($"Attempting to take cluster lock ({lockString})");
        }

        var (readEnd, writeEnd) = UnixPipe.Create();
        try
        {
            ChildProcess child;
            using (writeEnd)
            {
                child = spawner.Spawn(new SpawnRequest(
                    command.Path,
                    command.Arguments,
                    ChildEnvironment.Build(),
                    [new FdMapping(writeEnd, 1)]));
            }

            log.Debug($"Started cluster mutex helper \"{command}\" (pid {child.Pid})");
            return new ClusterMutexHelper(command, child, readEnd, spawner, log, attemptLimit ?? DefaultAttemptLimit, logEvents);
        }
        catch
        {
            readEnd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Releases a held lock (<c>Releasing cluster lock</c>) or cancels a pending attempt
    /// (<c>Cancelling cluster lock</c>): SIGTERM, SIGKILL after <see cref="TerminateGrace"/>,
    /// and completes only when the helper has exited and been reaped. Safe to call again and
    /// in any state. Throws <see cref="TimeoutException"/> if the helper is still alive after
    /// <see cref="ReleaseLimit"/> (unkillable, e.g. stuck on a hung cluster file system); the
    /// lock must then still be treated as not released.
    /// </summary>
    public async Task ReleaseAsync()
    {
        lock (_lock)
        {
            switch (_state)
            {
                case ClusterMutexState.Pending:
                    EventLog()?.Notice("Cancelling cluster lock");
                    _state = ClusterMutexState.Released;
                    break;
                case ClusterMutexState.Held:
                    EventLog()?.Notice("Releasing cluster lock");
                    _state = ClusterMutexState.Released;
                    break;
            }
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        var termination = Terminate();
        if (!await _child.WaitForExitAsync(ReleaseLimit).ConfigureAwait(false))
        {
            throw new TimeoutException($"Cluster mutex helper (pid {Pid}) has not exited {ReleaseLimit.TotalSeconds:0} s after SIGTERM/SIGKILL");
        }

        await termination.ConfigureAwait(false);
        await _monitor.ConfigureAwait(false);
        _child.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            _log.Error(ex.Message);
        }

        _stop.Dispose();
    }

    private static ClusterMutexAnswer Classify(byte status) => status switch
    {
        (byte)'0' => ClusterMutexAnswer.Locked,
        (byte)'1' => ClusterMutexAnswer.Contention,
        (byte)'2' => ClusterMutexAnswer.Timeout,
        _ => ClusterMutexAnswer.Unknown,
    };

    // SIGTERM as ctdb does, escalating to SIGKILL if the helper ignores it. Started once.
    private Task<bool> Terminate()
    {
        lock (_lock)
        {
            return _termination ??= _child.TerminateAsync(LibC.SIGTERM, TerminateGrace, ReleaseLimit);
        }
    }

    private async Task MonitorAsync(TimeSpan attemptLimit)
    {
        try
        {
            var answer = await ReadAnswerAsync(attemptLimit).ConfigureAwait(false);
            Latency = _started.Elapsed;
            lock (_lock)
            {
                if (_state != ClusterMutexState.Pending)
                {
                    answer = ClusterMutexAnswer.Cancelled;
                }
                else
                {
                    _state = answer == ClusterMutexAnswer.Locked ? ClusterMutexState.Held : ClusterMutexState.Failed;
                }
            }

            switch (answer)
            {
                case ClusterMutexAnswer.Locked:
                    EventLog()?.Notice("Cluster lock taken successfully");
                    _answer.TrySetResult(answer);
                    await WatchHeldLockAsync().ConfigureAwait(false);
                    return;
                case ClusterMutexAnswer.Contention:
                    EventLog()?.Error("Unable to take cluster lock - contention");
                    break;
                case ClusterMutexAnswer.Timeout:
                    EventLog()?.Error("Unable to take cluster lock - timeout");
                    break;
                case ClusterMutexAnswer.Unknown:
                    EventLog()?.Error("Unable to take cluster lock - unknown error");
                    break;
            }

            _answer.TrySetResult(answer);
            if (answer != ClusterMutexAnswer.Cancelled)
            {
                _ = Terminate();
            }
        }
        finally
        {
            _answer.TrySetResult(ClusterMutexAnswer.Cancelled);
            _stdout.Dispose();
        }
    }

    private async Task<ClusterMutexAnswer> ReadAnswerAsync(TimeSpan attemptLimit)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        limit.CancelAfter(attemptLimit);
        var buffer = new byte[1];
        try
        {
            while (true)
            {
                var n = UnixPipe.Read(_stdout, buffer);
                if (n > 0)
                {
                    return Classify(buffer[0]);
                }

                if (n == 0)
                {
                    return ClusterMutexAnswer.Unknown;
                }

                await _spawner.Reactor.WaitReadableAsync(_stdout, limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return _stop.IsCancellationRequested ? ClusterMutexAnswer.Cancelled : ClusterMutexAnswer.Timeout;
        }
        catch (UnixException ex)
        {
            _log.Debug($"Reading from cluster mutex helper failed: {ex.Message}");
            return ClusterMutexAnswer.Unknown;
        }
    }

    // After '0': the lock is lost when the pipe reaches end of file or the helper exits,
    // whichever is seen first. Further output is ignored.
    private async Task WatchHeldLockAsync()
    {
        using var eofSeen = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var endOfFile = WaitForEndOfFileAsync(eofSeen.Token);
        await Task.WhenAny(endOfFile, _child.Exited).ConfigureAwait(false);
        await eofSeen.CancelAsync().ConfigureAwait(false);
        try
        {
            await endOfFile.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        bool lost;
        lock (_lock)
        {
            lost = _state == ClusterMutexState.Held;
            if (lost)
            {
                _state = ClusterMutexState.Lost;
            }
        }

        if (lost)
        {
            EventLog()?.Error("Cluster lock helper terminated");
            _ = Terminate();
            _lost.TrySetResult();
        }
    }

    private async Task WaitForEndOfFileAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64];
        while (true)
        {
            int n;
            try
            {
                n = UnixPipe.Read(_stdout, buffer);
            }
            catch (UnixException)
            {
                return;
            }

            if (n == 0)
            {
                return;
            }

            if (n < 0)
            {
                await _spawner.Reactor.WaitReadableAsync(_stdout, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
