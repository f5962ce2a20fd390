using System.Text;
using CtdbInterop.Recoverd.Native;

namespace CtdbInterop.Recoverd.Signals;

/// <summary>Kernel-side identity of the daemon process: its name and parent-death signal.</summary>
internal static class ProcessIdentity
{
    /// <summary>The name ctdbd gives its recovery daemon (ps, pgrep, /proc/PID/comm).</summary>
    public const string ThreadName = "ctdb_recoverd";

    /// <summary>
    /// Sets the calling thread's name (PR_SET_NAME, at most 15 bytes). Called first thing
    /// on the main thread, whose name is the process's <c>comm</c>: after exec it would be
    /// the executable's name.
    /// </summary>
    public static unsafe void SetThreadName(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* p = bytes)
        {
            if (Libc.prctl(Libc.PR_SET_NAME, (nuint)p, 0, 0, 0) != 0)
            {
                throw UnixException.FromLastError("prctl(PR_SET_NAME)");
            }
        }
    }

    /// <summary>
    /// Asks the kernel to send <paramref name="signal"/> when the parent (ctdbd's thread that
    /// forked us) exits. The shim sets it before exec as well; this is the belt to that. The
    /// setting belongs to the calling thread (call it on the main thread); the kernel checks
    /// every thread of the child when the parent exits.
    /// </summary>
    public static void SetParentDeathSignal(int signal)
    {
        if (Libc.prctl(Libc.PR_SET_PDEATHSIG, (nuint)signal, 0, 0, 0) != 0)
        {
            throw UnixException.FromLastError("prctl(PR_SET_PDEATHSIG)");
        }
    }

    /// <summary>The calling thread's parent-death signal (0 = none).</summary>
    public static unsafe int GetParentDeathSignal()
    {
        int signal;
        return Libc.prctl(Libc.PR_GET_PDEATHSIG, (nuint)(&signal), 0, 0, 0) == 0
            ? signal
            : throw UnixException.FromLastError("prctl(PR_GET_PDEATHSIG)");
    }
}
