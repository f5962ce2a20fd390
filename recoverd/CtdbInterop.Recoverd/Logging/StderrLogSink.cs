using System.Text;
using CtdbInterop.Recoverd.Native;

namespace CtdbInterop.Recoverd.Logging;

/// <summary><c>file:</c> / <c>file:-</c>: the bare text on stderr, one write per line.</summary>
internal sealed class StderrLogSink : ILogSink
{
    private readonly Lock _lock = new();

    public void Write(CtdbLogLevel level, string text)
    {
        var line = Encoding.UTF8.GetBytes(text + "\n");
        lock (_lock)
        {
            FdWriter.WriteAll(2, line);
        }
    }

    public bool Reopen() => true;

    public void Dispose()
    {
    }
}
