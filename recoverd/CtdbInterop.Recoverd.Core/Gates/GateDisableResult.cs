using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Gates;

/// <summary>The outcome of <see cref="OperationGate.Disable"/>: 0 or a negative errno, and its one log line.</summary>
public readonly record struct GateDisableResult(int Status, LogLine Log)
{
    public bool Succeeded => Status == 0;
}
