namespace CtdbInterop.Recoverd.Processes;

/// <summary>How a reaped child ended: an exit code or a terminating signal.</summary>
internal readonly record struct ChildExitStatus(int? ExitCode, int? Signal)
{
    /// <summary>The child was gone without a status we could collect (someone else reaped it).</summary>
    public static ChildExitStatus Unknown { get; } = new(null, null);

    /// <summary>Decodes a waitpid() status word.</summary>
    public static ChildExitStatus FromWaitStatus(int status)
    {
        var signal = status & 0x7f;
        return signal == 0 ? new((status >> 8) & 0xff, null) : new(null, signal);
    }

    public override string ToString() =>
        ExitCode is { } code ? $"exit {code}" : Signal is { } signal ? $"signal {signal}" : "unknown status";
}
