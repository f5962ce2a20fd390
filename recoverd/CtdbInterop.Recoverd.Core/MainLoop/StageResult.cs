using CtdbInterop.Recoverd.Core.Actions;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>
/// The outcome of a main-loop stage: the memory to keep, actions to execute, and whether the
/// iteration goes on (false = the C daemon's early "return").
/// </summary>
public sealed record StageResult(LoopMemory Memory, IReadOnlyList<RecdAction> Actions, bool Proceed)
{
    public static StageResult Continue(LoopMemory memory, IReadOnlyList<RecdAction>? actions = null) => new(memory, actions ?? [], true);

    public static StageResult EndIteration(LoopMemory memory, params RecdAction[] actions) => new(memory, actions, false);
}
