using CtdbInterop.Recoverd.Logging;
using Microsoft.Extensions.Hosting;

namespace CtdbInterop.Recoverd.Hosting;

/// <summary>
/// Runs the recovery loop on the host and turns its end into the process exit: a stop
/// request (SIGTERM, ctdbd gone) lets the loop finish, then the shutdown hooks run, then
/// the host stops with the exit code the request fixed.
/// </summary>
internal sealed class RecoverdService(
    IRecoveryLoop loop,
    DaemonLifetime lifetime,
    IHostApplicationLifetime host,
    CtdbLog log) : IHostedService
{
    /// <summary>How long the loop gets to finish after a stop request.</summary>
    public static readonly TimeSpan LoopStopLimit = TimeSpan.FromSeconds(10);

    /// <summary>How long the shutdown hooks get in all.</summary>
    public static readonly TimeSpan HookLimit = TimeSpan.FromSeconds(10);

    private Task? _run;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _run = RunAsync();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lifetime.RequestStop(ShutdownReason.Fatal, ExitCodes.Failure);
        if (_run is not null)
        {
            await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        // Leave the host's start-up path before running the loop.
        await Task.Yield();
        var running = RunLoopAsync();
        var finished = await Task.WhenAny(running, WhenStopRequestedThenLimit()).ConfigureAwait(false);
        if (finished != running)
        {
            log.Error($"Recovery loop did not stop within {LoopStopLimit.TotalSeconds:0} s");
        }

        await lifetime.RunShutdownHooksAsync(HookLimit).ConfigureAwait(false);
        host.StopApplication();
    }

    private async Task RunLoopAsync()
    {
        try
        {
            await loop.RunAsync(lifetime.StopRequested).ConfigureAwait(false);
            if (!lifetime.IsStopRequested)
            {
                log.Error("Recovery loop ended unexpectedly");
                lifetime.RequestStop(ShutdownReason.Fatal, ExitCodes.Failure);
            }
        }
        catch (OperationCanceledException) when (lifetime.IsStopRequested)
        {
        }
        catch (FatalDaemonException ex)
        {
            if (!ex.AlreadyLogged)
            {
                log.Error(ex.Message);
            }

            lifetime.RequestStop(ShutdownReason.Fatal, ex.ExitCode);
        }
#pragma warning disable CA1031 // Whatever broke the loop, the daemon must exit with a log line, not hang.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            log.Error($"Recovery loop failed: {ex.GetType().Name}: {ex.Message}");
            if (log.IsEnabled(CtdbLogLevel.Debug))
            {
                log.Debug(ex.ToString());
            }

            lifetime.RequestStop(ShutdownReason.Fatal, ExitCodes.Failure);
        }
    }

    private async Task WhenStopRequestedThenLimit()
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, lifetime.StopRequested).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await Task.Delay(LoopStopLimit).ConfigureAwait(false);
    }
}
