namespace CtdbInterop.Recoverd.Processes;

/// <summary>
/// Makes the cluster mutex helper die with the daemon, even when the daemon is killed with
/// SIGKILL: the helper is started through util-linux <c>setpriv --pdeathsig TERM</c>, which
/// sets PR_SET_PDEATHSIG and execs the helper in the same process (posix_spawn itself cannot
/// set it). A dead leader's lock is then free at once instead of when the helper's own 5 s
/// parent check notices (issue 7). The helper's PID, stdio and arguments are unchanged.
/// </summary>
/// <remarks>
/// The kernel sends the signal when the <em>thread</em> that spawned the child exits; the
/// daemon spawns helpers only from its loop thread, which lives as long as the process.
/// Without setpriv (util-linux is essential on Debian, so only on odd systems) or for a
/// relative command path (setpriv would search PATH, ctdb does not), the helper is started
/// directly, as before.
/// </remarks>
internal static class ParentDeathWrapper
{
    public const string Setpriv = "/usr/bin/setpriv";

    public static ClusterMutexCommand Wrap(ClusterMutexCommand command, Func<string, bool>? exists = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!command.Path.StartsWith('/') || !(exists ?? File.Exists)(Setpriv))
        {
            return command;
        }

        return new ClusterMutexCommand(Setpriv, ["setpriv", "--pdeathsig", "TERM", "--", command.Path, .. command.Arguments.Skip(1)]);
    }
}
