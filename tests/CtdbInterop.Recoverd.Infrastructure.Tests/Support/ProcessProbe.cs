using Tmds.Linux;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Support;

/// <summary>Looks at processes through /proc and kill(0).</summary>
internal static class ProcessProbe
{
    /// <summary>True while the PID exists and is not a zombie.</summary>
    public static bool IsRunning(int pid)
    {
        if (LibC.kill(pid, 0) != 0)
        {
            return false;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state != 'Z' && state != 'X';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>True when the PID is fully gone (reaped).</summary>
    public static bool IsGone(int pid) => LibC.kill(pid, 0) != 0;

    /// <summary>The targets of a process's open descriptors, by number.</summary>
    public static Dictionary<int, string> Descriptors(int pid)
    {
        var result = new Dictionary<int, string>();
        foreach (var entry in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            try
            {
                var target = new FileInfo(entry).LinkTarget;
                result[int.Parse(Path.GetFileName(entry), System.Globalization.CultureInfo.InvariantCulture)] = target ?? string.Empty;
            }
            catch (IOException)
            {
            }
        }

        return result;
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms up to <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }
}
