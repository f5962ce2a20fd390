using System.Text;
using CtdbInterop.Recoverd.Native;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Logging;

/// <summary>
/// <c>file:PATH</c>: lines <c>&lt;time&gt; &lt;host&gt; ctdb-recoverd[&lt;pid&gt;]: &lt;text&gt;</c>
/// appended with O_APPEND and one write(2) per line, so that ctdbd, its helpers and this
/// daemon can share one file without overwriting each other (a FileStream keeps its own
/// position and would).
/// </summary>
internal sealed class FileLogSink : ILogSink
{
    private readonly Lock _lock = new();
    private readonly string _prefix;
    private SafeFd _fd;

    public FileLogSink(string path, string hostName, string appName)
    {
        Path = path;
        _prefix = $" {hostName} {appName}[{Environment.ProcessId}]: ";
        _fd = Open(path);
    }

    public string Path { get; }

    public void Write(CtdbLogLevel level, string text)
    {
        var line = Encoding.UTF8.GetBytes(LogTimestamp.Now() + _prefix + text + "\n");
        lock (_lock)
        {
            FdWriter.WriteAll(_fd.Fd, line);
        }
    }

    public bool Reopen()
    {
        SafeFd fresh;
        try
        {
            fresh = Open(Path);
        }
        catch (UnixException)
        {
            return false;
        }

        SafeFd old;
        lock (_lock)
        {
            old = _fd;
            _fd = fresh;
        }

        old.Dispose();
        return true;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _fd.Dispose();
        }
    }

    private static unsafe SafeFd Open(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            var fd = LibC.open(p, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND | LibC.O_CLOEXEC, 0x1a4 /* 0644 */);
            return fd < 0 ? throw UnixException.FromLastError($"open({path})") : new SafeFd(fd);
        }
    }
}
