using System.Buffers.Binary;
using System.Globalization;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Native;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Processes;

/// <summary>
/// Runs ctdb_recovery_helper and ctdb_takeover_helper (B59): argv = [path, result fd,
/// socket path, optional argument]; the helper writes a 4-byte host-order int to the
/// result fd. Only the child holds the write end, so a helper that dies without writing is
/// seen as end of file at once.
/// </summary>
internal sealed class HelperRunner(ProcessSpawner spawner, CtdbLog log)
{
    /// <summary>The descriptor number the result pipe has in the helper (its argv[1]).</summary>
    public const int ResultFd = 3;

    private static readonly TimeSpan ReapWait = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly HashSet<ChildProcess> _running = [];

    /// <summary>True while a helper started here is running.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _running.Count > 0;
            }
        }
    }

    /// <summary>
    /// Runs the helper and waits for its result. There is no time limit (the helpers limit
    /// their own controls). Cancelling (B60: leadership moved) kills the helper and throws
    /// <see cref="OperationCanceledException"/> once it has been reaped. In every case the
    /// helper gets SIGKILL after its result, as in ctdb.
    /// </summary>
    public async Task<HelperResult> RunAsync(
        HelperKind kind,
        string helperPath,
        string socketPath,
        string? argument,
        IEnumerable<KeyValuePair<string, string>>? extraEnvironment,
        CancellationToken cancellationToken)
    {
        SafeFd readEnd;
        SafeFd writeEnd;
        try
        {
            (readEnd, writeEnd) = UnixPipe.Create();
        }
        catch (UnixException ex)
        {
            log.Error($"Failed to create pipe for {kind.LogName()} helper");
            log.Debug(ex.Message);
            return HelperResult.NotStarted;
        }

        using var resultPipe = readEnd;
        ChildProcess child;
        using (writeEnd)
        {
            string[] arguments = argument is null
                ? [helperPath, ResultFd.ToString(CultureInfo.InvariantCulture), socketPath]
                : [helperPath, ResultFd.ToString(CultureInfo.InvariantCulture), socketPath, argument];
            var (program, argv) = ParentDeathWrapper.Wrap(helperPath, arguments);
            try
            {
                child = spawner.Spawn(new SpawnRequest(
                    program,
                    argv,
                    ChildEnvironment.Build(extraEnvironment),
                    [new FdMapping(writeEnd, ResultFd)]));
            }
            catch (UnixException ex)
            {
                log.Error($"Failed to create child for {kind.LogName()} helper");
                log.Debug(ex.Message);
                return HelperResult.NotStarted;
            }

            // Leaving this block closes our copy of the write end: from here on only the
            // helper holds it, so its exit is end of file for us.
        }

        lock (_lock)
        {
            _running.Add(child);
        }

        log.Debug($"Started {kind.LogName()} helper \"{helperPath}\" (pid {child.Pid})");
        try
        {
            return await ReadResultAsync(resultPipe, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _running.Remove(child);
            }

            child.Signal(LibC.SIGKILL);
            if (!await child.WaitForExitAsync(ReapWait).ConfigureAwait(false))
            {
                log.Warning($"{kind.LogName()} helper (pid {child.Pid}) has not exited after SIGKILL");
            }

            child.Dispose();
        }
    }

    /// <summary>Forwards a signal (SIGHUP for log rotation, B04) to the running helper(s); returns how many got it.</summary>
    public int ForwardSignal(int signal)
    {
        ChildProcess[] running;
        lock (_lock)
        {
            running = [.. _running];
        }

        var delivered = 0;
        foreach (var child in running)
        {
            if (child.Signal(signal))
            {
                delivered++;
            }
        }

        return delivered;
    }

    // ctdb reads once when the pipe becomes readable: exactly 4 bytes are the result,
    // anything else (end of file, short read) is EPIPE.
    private async Task<HelperResult> ReadResultAsync(SafeFd resultPipe, CancellationToken cancellationToken)
    {
        var buffer = new byte[sizeof(int)];
        while (true)
        {
            await spawner.Reactor.WaitReadableAsync(resultPipe, cancellationToken).ConfigureAwait(false);
            var n = UnixPipe.Read(resultPipe, buffer);
            if (n < 0)
            {
                continue;
            }

            // Host byte order; CtdbInterop supports little-endian x86-64 only.
            return n == sizeof(int) ? new HelperResult(BinaryPrimitives.ReadInt32LittleEndian(buffer)) : HelperResult.NoResult;
        }
    }
}
