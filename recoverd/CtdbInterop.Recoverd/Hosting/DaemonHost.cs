using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Native;
using CtdbInterop.Recoverd.Processes;
using CtdbInterop.Recoverd.Signals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Hosting;

/// <summary>
/// Start-up in the order the C daemon's contract needs: parent-death signal and signal
/// handlers first, then helper paths (fatal if missing), socket path and the configuration
/// values, then the host that runs the recovery loop. Returns the process exit code.
/// </summary>
internal static class DaemonHost
{
    public static async Task<int> RunAsync(
        CtdbEnvironment environment,
        CtdbLog log,
        Func<IServiceProvider, IRecoveryLoop> loopFactory)
    {
        var parent = ParentProcess.Detect(environment);
        try
        {
            // Still on the main thread: the signal is a per-thread attribute, and the kernel
            // looks at every thread of the child when the parent dies.
            ProcessIdentity.SetParentDeathSignal(LibC.SIGTERM);
            log.Debug($"Watching ctdbd (pid {parent.Pid}), parent-death signal {ProcessIdentity.GetParentDeathSignal()}");
        }
        catch (UnixException ex)
        {
            log.Warning($"Unable to set the parent-death signal: {ex.Message}");
        }

        using var lifetime = new DaemonLifetime(log);
        using var reactor = new EpollReactor();
        var spawner = new ProcessSpawner(reactor, log);
        var helpers = new HelperRunner(spawner, log);
        using var signals = new SignalHandlers(lifetime, log, helpers, parent);

        // The parent may have died before the parent-death signal was armed.
        if (!parent.IsAlive())
        {
            ParentWatch.ReportParentGone(lifetime, log);
            return lifetime.ExitCode;
        }

        var locator = new HelperLocator(environment, log);
        try
        {
            locator.RecoveryHelper();
            locator.TakeoverHelper();
        }
        catch (FatalDaemonException ex)
        {
            return ex.ExitCode;
        }

        var commands = new CommandRunner(spawner);
        DaemonSettings settings;
        try
        {
            var socketPath = await SocketPath.ResolveAsync(environment, commands, log, lifetime.StopRequested).ConfigureAwait(false);
            var configuration = await new CtdbConfigReader(commands, log)
                .ReadAsync(Path.Combine(environment.HelperDirectory, "ctdb-config"), CtdbConfigReader.DefaultTimeout, lifetime.StopRequested, CtdbConfFile.PathFor(environment), CtdbConfFile.ProcessStartUtc(parent.Pid))
                .ConfigureAwait(false);
            settings = new DaemonSettings(environment, socketPath, configuration, parent.Pid);
        }
        catch (OperationCanceledException) when (lifetime.IsStopRequested)
        {
            return lifetime.ExitCode;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = CtdbLog.AppName });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new CtdbLoggerProvider(log));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = RecoverdService.LoopStopLimit + RecoverdService.HookLimit);
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton(environment);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(parent);
        builder.Services.AddSingleton(lifetime);
        builder.Services.AddSingleton(reactor);
        builder.Services.AddSingleton(spawner);
        builder.Services.AddSingleton(helpers);
        builder.Services.AddSingleton(commands);
        builder.Services.AddSingleton(locator);
        builder.Services.AddSingleton<IRecoveryLoop>(loopFactory);

        builder.Services.AddHostedService<ParentWatch>();
        builder.Services.AddHostedService<RecoverdService>();

        using var host = builder.Build();
        if (!lifetime.IsStopRequested)
        {
            await host.RunAsync().ConfigureAwait(false);
        }

        return lifetime.ExitCode;
    }
}
