using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Takeover;

/// <summary>The result of one local IP check: whether a takeover run is needed, and why.</summary>
public sealed record IpCheck(bool NeedsTakeoverRun, IReadOnlyList<LogLine> Logs)
{
    public static IpCheck Fine { get; } = new(false, []);
}
