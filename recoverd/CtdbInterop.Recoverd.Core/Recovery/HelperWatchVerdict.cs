using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.Resignation;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>
/// B60 and rule 6 while the recovery helper runs: when <see cref="Abort"/>, log
/// <see cref="Logs"/>, SIGKILL the helper and report <c>OnRecoveryHelperFinished(false)</c>; then
/// resign with <see cref="Resign"/> if set.
/// </summary>
public sealed record HelperWatchVerdict(bool Abort, IReadOnlyList<LogLine> Logs, ResignReason? Resign)
{
    public static HelperWatchVerdict KeepRunning { get; } = new(false, [], null);
}
