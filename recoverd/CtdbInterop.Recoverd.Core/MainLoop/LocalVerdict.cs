using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.Resignation;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>The outcome of <see cref="LocalChecks.Decide"/> (B21-B23).</summary>
public abstract record LocalVerdict(LoopMemory Memory, IReadOnlyList<LogLine> Logs)
{
    /// <summary>Log <see cref="LocalVerdict.Logs"/> and end the iteration.</summary>
    public sealed record EndIteration(LoopMemory Memory, IReadOnlyList<LogLine> Logs) : LocalVerdict(Memory, Logs);

    /// <summary>
    /// B22, this node is inactive. In order: keep <see cref="LocalVerdict.Memory"/> (priority time
    /// reset); if <see cref="Resign"/> is set call <c>LeaderElection.Resign</c> with it and execute
    /// its actions; log <see cref="LocalVerdict.Logs"/>; if <see cref="ActivateRecoveryMode"/>
    /// send SET_RECMODE ACTIVE to the local node (failure → log <see cref="ActivationFailed"/>, end);
    /// if <see cref="Freeze"/> send FREEZE to the local node (failure → log <see cref="FreezeFailed"/>,
    /// end; success → keep <c>Memory with { FrozenWhileInactive = true }</c>); end the iteration.
    /// <see cref="ActivateOthersOnResign"/>: pass it as <c>activateRecoveryModeOnOthers</c> to
    /// <c>Resign</c> (issue 7: the other nodes stay in recovery until the successor has recovered,
    /// as after the C daemon's election, instead of looking healthy in between).
    /// </summary>
    public sealed record Inactive(LoopMemory Memory, IReadOnlyList<LogLine> Logs, ResignReason? Resign, bool ActivateRecoveryMode, bool Freeze, bool ActivateOthersOnResign = false)
        : LocalVerdict(Memory, Logs)
    {
        public static LogLine ActivationFailed { get; } =
            LogLine.Error("Failed to activate recovery mode in STOPPED or BANNED state").AtLocation("main_loop");

        public static LogLine FreezeFailed { get; } =
            LogLine.Error("Failed to freeze node in STOPPED or BANNED state").AtLocation("main_loop");
    }

    /// <summary>
    /// Active node: keep the memory (frozen marker cleared, B23) and continue with B24; run the
    /// local IP checks (B25) only when <see cref="RunIpChecks"/> (local recovery mode NORMAL).
    /// </summary>
    public sealed record Active(LoopMemory Memory, bool RunIpChecks) : LocalVerdict(Memory, []);
}
