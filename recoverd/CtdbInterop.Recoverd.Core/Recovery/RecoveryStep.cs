using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.MainLoop;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>
/// One step of <see cref="RecoveryProcedure"/>: keep <see cref="Memory"/>, execute
/// <see cref="Actions"/>, then either perform <see cref="Request"/> and feed its result back, or
/// stop: <see cref="Outcome"/> is set exactly when <see cref="Request"/> is null.
/// </summary>
public sealed record RecoveryStep(LoopMemory Memory, IReadOnlyList<RecdAction> Actions, RecoveryRequest? Request, RecoveryOutcome? Outcome);
