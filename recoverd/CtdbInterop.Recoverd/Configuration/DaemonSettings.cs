namespace CtdbInterop.Recoverd.Configuration;

/// <summary>Everything the daemon established at start, for the loop.</summary>
internal sealed record DaemonSettings(
    CtdbEnvironment Environment,
    string SocketPath,
    DaemonConfiguration Configuration,
    int CtdbdPid)
{
    public bool TestMode => Environment.TestMode;
}
