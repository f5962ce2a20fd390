namespace CtdbInterop.Recoverd.Processes;

/// <summary>
/// Makes the helpers die with the daemon, even when the daemon is killed with SIGKILL: a
/// helper is started through util-linux <c>setpriv --pdeathsig TERM</c>, which sets
/// PR_SET_PDEATHSIG and execs the helper in the same process (posix_spawn itself cannot set
/// it). A dead leader's lock is then free at once instead of when the mutex helper's own 5 s
/// parent check notices (issue 7), and so its recovery and takeover helpers must go at the same
/// moment: an orphaned recovery helper running on beside the next leader's recovery left a
/// database on ctdbd 4.22.6 marked locked for good (fault kill-recoverd-recovery, mixed
/// cluster). The helper's PID, stdio and arguments are unchanged.
/// </summary>
/// <remarks>
/// The kernel sends the signal when the <em>thread</em> that spawned the child exits; the
/// daemon spawns helpers only from its loop thread, which lives as long as the process.
/// Without setpriv (util-linux is essential on Debian, so only on odd systems), for a
/// relative command path (setpriv would search PATH, ctdb does not) or a helper that does not
/// exist, the helper is started directly, as before.
/// </remarks>
internal static class ParentDeathWrapper
{
    public const string Setpriv = "/usr/bin/setpriv";

    public static ClusterMutexCommand Wrap(ClusterMutexCommand command, Func<string, bool>? exists = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (path, arguments) = Wrap(command.Path, command.Arguments, exists);
        return ReferenceEquals(path, command.Path) ? command : new ClusterMutexCommand(path, arguments);
    }

    /// <summary>The program to spawn and its argv (argv[0] the helper's path, as before) for <paramref name="path"/>.</summary>
    public static (string Path, IReadOnlyList<string> Arguments) Wrap(string path, IReadOnlyList<string> arguments, Func<string, bool>? exists = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(arguments);
        // A missing helper is spawned as it is, so that the spawn itself fails and says so.
        exists ??= File.Exists;
        if (!path.StartsWith('/') || !exists(Setpriv) || !exists(path))
        {
            return (path, arguments);
        }

        return (Setpriv, ["setpriv", "--pdeathsig", "TERM", "--", path, .. arguments.Skip(1)]);
    }
}
