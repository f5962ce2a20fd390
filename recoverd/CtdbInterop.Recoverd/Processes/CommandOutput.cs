namespace CtdbInterop.Recoverd.Processes;

/// <summary>The result of a short command run with captured output.</summary>
internal sealed record CommandOutput(ChildExitStatus Status, string StandardOutput, string StandardError, bool TimedOut)
{
    public bool Succeeded => !TimedOut && Status.ExitCode == 0;
}
