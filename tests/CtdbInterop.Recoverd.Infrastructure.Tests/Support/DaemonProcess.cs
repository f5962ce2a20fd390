using System.Diagnostics;
using System.Text;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Support;

/// <summary>
/// A daemon executable (the real ctdb-recoverd, or the test daemon with an idle loop) run as
/// a real child process with a controlled environment and a file log.
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    public static readonly string RealDaemon = Path.Combine(AppContext.BaseDirectory, "ctdb-recoverd");
    public static readonly string TestDaemon = Path.Combine(AppContext.BaseDirectory, "CtdbInterop.Recoverd.TestDaemon");

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private DaemonProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    public int Pid => _process.Id;

    public string LogPath { get; }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="executable"/> with no CTDB_* variables from the test run, a
    /// file log at DEBUG in <paramref name="dir"/>, and <paramref name="environment"/> on top.
    /// </summary>
    public static DaemonProcess Start(string executable, TempDirectory dir, IReadOnlyDictionary<string, string>? environment = null, string? fileName = null)
    {
        var logPath = dir.File("log.ctdb");
        var info = new ProcessStartInfo(fileName ?? executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (fileName is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(executable);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("CTDB_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["CTDB_LOGGING"] = "file:" + logPath;
        info.Environment["CTDB_DEBUGLEVEL"] = "DEBUG";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        var daemon = new DaemonProcess(process, logPath);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (daemon._stderr)
                {
                    daemon._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return daemon;
    }

    /// <summary>The text part of every line of the daemon's log so far.</summary>
    public IReadOnlyList<string> LogTexts()
    {
        if (!File.Exists(LogPath))
        {
            return [];
        }

        return [.. File.ReadAllLines(LogPath).Select(line =>
        {
            var marker = line.IndexOf("]: ", StringComparison.Ordinal);
            return marker < 0 ? line : line[(marker + 3)..];
        })];
    }

    public Task<bool> WaitForLogAsync(string text, TimeSpan timeout) =>
        ProcessProbe.WaitUntilAsync(() => LogTexts().Any(t => t.StartsWith(text, StringComparison.Ordinal)), timeout);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
