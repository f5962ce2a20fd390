using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>
/// The leader checks' result. Keep <see cref="Memory"/> (its node map carries B28's updates);
/// execute <see cref="FlagActions"/> in order — if a <see cref="RecdAction.PushNodeFlags"/> among
/// them fails, log <see cref="PushFailureLogs"/> and end the iteration; otherwise act on
/// <see cref="Outcome"/>.
/// </summary>
public sealed record LeaderVerdict(LoopMemory Memory, IReadOnlyList<RecdAction> FlagActions, LeaderOutcome Outcome)
{
    /// <summary>B28's failure lines.</summary>
    public static IReadOnlyList<LogLine> PushFailureLogs { get; } =
    [
        LogLine.Error("Unable to update flags on remote nodes").WithFunction("update_flags"),
        LogLine.Error("Unable to update flags"),
    ];
}
