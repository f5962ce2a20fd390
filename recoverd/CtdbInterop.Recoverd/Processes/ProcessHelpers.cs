using System.Globalization;
using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Native;

namespace CtdbInterop.Recoverd.Processes;

/// <summary>The helper programs as child processes of the daemon.</summary>
internal sealed class ProcessHelpers(HelperRunner runner, HelperLocator locator, ProcessSpawner spawner, CtdbLog log, DaemonSettings settings) : IDaemonHelpers
{
    public IClusterMutex? StartClusterMutex(string lockString)
    {
        ClusterMutexCommand command;
        if (ClusterMutexCommand.IsCommandForm(lockString))
        {
            if (!ClusterMutexCommand.TryParseCommand(lockString, out var parsed, out var error))
            {
                log.Error($"Invalid cluster lock command \"{lockString}\": {error}");
                return null;
            }

            command = parsed!;
        }
        else
        {
            command = ClusterMutexCommand.ForFile(locator.ClusterMutexHelper(), lockString);
        }

        try
        {
            return ClusterMutexHelper.Start(ParentDeathWrapper.Wrap(command), lockString, spawner, log, logEvents: false);
        }
        catch (UnixException e)
        {
            log.Error($"Unable to start cluster mutex helper: {e.Message}");
            return null;
        }
    }

    public Task<HelperResult> RunRecoveryAsync(uint generation, CancellationToken ct)
    {
        var environment = new Dictionary<string, string> { ["CTDB_DBDIR_STATE"] = settings.Configuration.StateDatabaseDirectory };
        return runner.RunAsync(
            HelperKind.Recovery,
            locator.RecoveryHelper(),
            settings.SocketPath,
            generation.ToString(CultureInfo.InvariantCulture),
            environment,
            ct);
    }

    public Task<HelperResult> RunTakeoverAsync(string? rebalanceArgument, CancellationToken ct) =>
        runner.RunAsync(HelperKind.Takeover, locator.TakeoverHelper(), settings.SocketPath, rebalanceArgument, null, ct);
}
