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
        TakeBackIfIgnored(LibC.SIGTERM, "SIGTERM", log);
        TakeBackIfIgnored(LibC.SIGHUP, "SIGHUP", log);
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

    /// <summary>
    /// A signal ignored by whoever started ctdbd (nohup, some service managers) stays ignored
    /// across exec, and .NET then registers no handler for it: SIGHUP would never reopen the
    /// logs and SIGTERM never stop the daemon. The C daemon's tevent handlers take both
    /// whatever it inherited, so an ignored one is reset to the default before registering.
    /// A handler already in place (a runtime's own) is left alone.
    /// </summary>
    private static unsafe void TakeBackIfIgnored(int signal, string name, CtdbLog log)
    {
        var current = stackalloc byte[Native.Libc.SigactionSize];
        if (Native.Libc.sigaction(signal, null, current) != 0 || *(nint*)current != Native.Libc.SIG_IGN)
        {
            return;
        }

        if (Native.Libc.signal(signal, Native.Libc.SIG_DFL) == Native.Libc.SIG_IGN)
        {
            log.Notice($"{name} was ignored when the daemon started; handling it as ctdb does");
        }
    }
}
