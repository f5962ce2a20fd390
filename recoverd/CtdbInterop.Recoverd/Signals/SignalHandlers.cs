using System.Runtime.InteropServices;
using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Hosting;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Processes;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Signals;

/// <summary>
/// The daemon's signals (section 1.8). SIGTERM (B05): <c>Received SIGTERM, exiting</c>,
/// then a stop with exit code 0 (the loop resigns and releases the lock on its way out);
/// when it is the parent-death signal, it is handled as ctdbd gone (B11, exit 255).
/// SIGHUP (B04): forward to the running recovery/takeover helper, then reopen the logs.
/// SIGCHLD needs nothing: each child is reaped through its own pidfd.
/// </summary>
internal sealed class SignalHandlers : IDisposable
{
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _hup;

    public SignalHandlers(DaemonLifetime lifetime, CtdbLog log, HelperRunner helpers, ParentProcess parent)
    {
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (lifetime.IsStopRequested)
            {
                return;
            }

            if (!parent.IsAlive())
            {
                ParentWatch.ReportParentGone(lifetime, log);
                return;
            }

            log.Error("Received SIGTERM, exiting");
            lifetime.RequestStop(ShutdownReason.Terminated, ExitCodes.Success);
        });
        _hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            helpers.ForwardSignal(LibC.SIGHUP);
            log.ReopenLogs();
        });
    }

    public void Dispose()
    {
        _term.Dispose();
        _hup.Dispose();
    }
}
