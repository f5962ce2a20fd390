using System.Runtime.InteropServices;

namespace CtdbInterop.Integration.Tests.Bug16082;

/// <summary>
/// Holds one process stopped (SIGSTOP) until disposed (SIGCONT). Used on a non-leader ctdbd
/// so that the leader's recovery daemon, whose main loop sends it controls every second,
/// waits inside the loop for as long as the pause lasts.
/// </summary>
internal sealed partial class ProcessPause : IDisposable
{
    private const int SigCont = 18;
    private const int SigStop = 19;
    private readonly int _pid;
    private bool _resumed;

    private ProcessPause(int pid) => _pid = pid;

    public static ProcessPause Start(int pid)
    {
        Send(pid, SigStop);
        return new ProcessPause(pid);
    }

    public void Dispose()
    {
        if (!_resumed)
        {
            _resumed = true;
            Send(_pid, SigCont);
        }
    }

    private static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
