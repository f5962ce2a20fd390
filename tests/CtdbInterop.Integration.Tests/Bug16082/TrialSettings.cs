using System.Globalization;

namespace CtdbInterop.Integration.Tests.Bug16082;

/// <summary>How the leader's deactivation is timed against its recovery daemon's main loop.</summary>
internal enum DeactivationTiming
{
    /// <summary>
    /// A non-leader's ctdbd is paused (SIGSTOP) for about a loop period first, so the leader's
    /// loop is blocked on a control to it — after its node-map read, before its recovery
    /// decision — when the leader is deactivated; then the peer is resumed. This widens the
    /// bug's window from milliseconds to the whole pause.
    /// </summary>
    Widened,

    /// <summary>The leader is deactivated at a random moment; the window is a few ms per second.</summary>
    Plain,
}

/// <summary>
/// Knobs of the bug 16082 trials, from the environment so the same test can measure rates:
/// <c>CTDBI_BUG16082_TRIALS</c> (trials per test, default 3) and
/// <c>CTDBI_BUG16082_TIMING</c> (<c>widened</c>, the default, or <c>plain</c>).
/// </summary>
internal static class TrialSettings
{
    public static int Trials { get; } = ReadTrials();

    public static DeactivationTiming Timing { get; } = ReadTiming();

    private static int ReadTrials()
    {
        var text = Environment.GetEnvironmentVariable("CTDBI_BUG16082_TRIALS");
        if (string.IsNullOrEmpty(text))
        {
            return 3;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 1000
            ? value
            : throw new InvalidOperationException($"CTDBI_BUG16082_TRIALS must be 1..1000, not '{text}'");
    }

    private static DeactivationTiming ReadTiming() => Environment.GetEnvironmentVariable("CTDBI_BUG16082_TIMING") switch
    {
        null or "" or "widened" => DeactivationTiming.Widened,
        "plain" => DeactivationTiming.Plain,
        var other => throw new InvalidOperationException($"CTDBI_BUG16082_TIMING must be 'widened' or 'plain', not '{other}'"),
    };
}
