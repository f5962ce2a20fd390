using System.Runtime.InteropServices;
using System.Text;
using CtdbInterop.Recoverd.Native;

namespace CtdbInterop.Recoverd.Logging;

/// <summary><c>syslog</c>: the C library's syslog(3), ident = application name, LOG_PID, LOG_DAEMON.</summary>
internal sealed unsafe class LibcSyslogSink : ILogSink
{
    // openlog keeps the ident pointer, so it lives (unfreed) for the whole process.
    private static byte* s_ident;
    private static readonly byte* FormatString = AllocateUtf8("%s");

    public LibcSyslogSink(string appName)
    {
        if (s_ident == null)
        {
            s_ident = AllocateUtf8(appName);
        }

        Libc.openlog(s_ident, Libc.LOG_PID, Libc.LOG_DAEMON);
    }

    public void Write(CtdbLogLevel level, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        fixed (byte* p = bytes)
        {
            Libc.syslog(SyslogPriority.FromLevel(level), FormatString, p);
        }
    }

    public bool Reopen() => true;

    public void Dispose() => Libc.closelog();

    private static byte* AllocateUtf8(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        var memory = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(memory, bytes.Length));
        return memory;
    }
}
