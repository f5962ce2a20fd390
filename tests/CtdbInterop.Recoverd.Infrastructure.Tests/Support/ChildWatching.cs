namespace CtdbInterop.Recoverd.Infrastructure.Tests.Support;

/// <summary>
/// How a fixture's spawner watches its children. Kernels before 5.3, and seccomp profiles
/// that refuse pidfd_open, leave the daemon polling waitpid; the fixtures that spawn run
/// their tests both ways, so neither path is the untested one.
/// </summary>
public enum ChildWatching
{
    Pidfd,
    PolledWaitpid,
}
