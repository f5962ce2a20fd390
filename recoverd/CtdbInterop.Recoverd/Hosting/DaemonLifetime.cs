using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Hosting;

/// <summary>
/// The daemon's stop request: the first request wins and fixes reason and exit code; its
/// token stops the recovery loop. Hooks registered by the loop (resign, release the cluster
/// lock) run after the loop has stopped. Past <see cref="ForceExitAfter"/> the process
/// exits regardless, so a stuck shutdown can never keep a dead daemon around.
/// </summary>
internal sealed class DaemonLifetime : IDisposable
{
    /// <summary>The hard limit from the stop request to process exit.</summary>
    public static readonly TimeSpan ForceExitAfter = TimeSpan.FromSeconds(30);

    private readonly CtdbLog _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<Func<ShutdownReason, CancellationToken, Task>> _hooks = [];
    private readonly Action<int> _forceExit;
    private Timer? _forceExitTimer;

    public DaemonLifetime(CtdbLog log, Action<int>? forceExit = null)
    {
        _log = log;
        _forceExit = forceExit ?? Environment.Exit;
    }

    /// <summary>Cancelled when a stop has been requested.</summary>
    public CancellationToken StopRequested => _stop.Token;

    public bool IsStopRequested => _stop.IsCancellationRequested;

    public ShutdownReason Reason { get; private set; }

    public int ExitCode { get; private set; } = ExitCodes.Success;

    /// <summary>Requests the stop; false when one was already requested (that one stands).</summary>
    public bool RequestStop(ShutdownReason reason, int exitCode)
    {
        lock (_lock)
        {
            if (Reason != ShutdownReason.None)
            {
                return false;
            }

            Reason = reason;
            ExitCode = exitCode;
            _forceExitTimer = new Timer(_ => ForceExit(), null, ForceExitAfter, Timeout.InfiniteTimeSpan);
        }

        _stop.Cancel();
        return true;
    }

    /// <summary>Adds work to do on the way out (after the loop has stopped), e.g. releasing the cluster lock.</summary>
    public void RegisterShutdownHook(Func<ShutdownReason, CancellationToken, Task> hook)
    {
        lock (_lock)
        {
            _hooks.Add(hook);
        }
    }

    /// <summary>Runs the hooks in registration order, each bounded by <paramref name="limit"/> in total.</summary>
    public async Task RunShutdownHooksAsync(TimeSpan limit)
    {
        Func<ShutdownReason, CancellationToken, Task>[] hooks;
        lock (_lock)
        {
            hooks = [.. _hooks];
            _hooks.Clear();
        }

        using var deadline = new CancellationTokenSource(limit);
        foreach (var hook in hooks)
        {
            try
            {
                await hook(Reason, deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                _log.Error("Shutdown did not finish in time");
                return;
            }
#pragma warning disable CA1031 // One failing hook must not keep the others from running.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _log.Error($"Shutdown step failed: {ex.Message}");
            }
        }
    }

    public void Dispose()
    {
        _forceExitTimer?.Dispose();
        _stop.Dispose();
    }

    private void ForceExit()
    {
        _log.Error($"Recovery daemon did not stop within {ForceExitAfter.TotalSeconds:0} s, exiting");
        _forceExit(ExitCode);
    }
}
