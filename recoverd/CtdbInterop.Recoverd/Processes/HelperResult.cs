namespace CtdbInterop.Recoverd.Processes;

/// <summary>
/// What a recovery or takeover helper reported: the int it wrote (0 = success, else an
/// errno value), <see cref="NoResult"/> (EPIPE) when it wrote fewer than 4 bytes before
/// closing the pipe, or <see cref="NotStarted"/> (-1) when it could not be started.
/// </summary>
internal readonly record struct HelperResult(int Value)
{
    /// <summary>EPIPE: end of file or a short read instead of a result (the recovery helper's failure).</summary>
    public static HelperResult NoResult { get; } = new(32);

    public static HelperResult NotStarted { get; } = new(-1);

    public bool Succeeded => Value == 0;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
