namespace CtdbInterop.Recoverd.Hosting;

/// <summary>
/// A condition on which the C daemon calls exit(): the message is logged (ERROR) and the
/// daemon exits with <see cref="ExitCode"/>; ctdbd restarts it within 30 s.
/// </summary>
internal sealed class FatalDaemonException : Exception
{
    public FatalDaemonException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public FatalDaemonException(int exitCode, string message, Exception innerException)
        : base(message, innerException) => ExitCode = exitCode;

    public FatalDaemonException()
        : this(ExitCodes.Failure, "Fatal error")
    {
    }

    public FatalDaemonException(string message)
        : this(ExitCodes.Failure, message)
    {
    }

    public FatalDaemonException(string message, Exception innerException)
        : this(ExitCodes.Failure, message, innerException)
    {
    }

    public int ExitCode { get; }

    /// <summary>The condition has been logged with ctdb's words already; do not log it again.</summary>
    public bool AlreadyLogged { get; init; }
}
