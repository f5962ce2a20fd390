using Tmds.Linux;

namespace CtdbInterop.Recoverd.Configuration;

/// <summary>
/// ctdbd, whose forked child we are (same PID after the shim's exec). Its PID comes from
/// <c>CTDB_RECOVERD_PARENT_PID</c> (set by the shim) or getppid() at start.
/// </summary>
internal sealed class ParentProcess
{
    private readonly bool _wasOurParent;

    public ParentProcess(int pid)
    {
        Pid = pid;
        _wasOurParent = LibC.getppid() == pid;
    }

    public int Pid { get; }

    public static ParentProcess Detect(CtdbEnvironment environment) => new(environment.RecoverdParentPid ?? LibC.getppid());

    /// <summary>
    /// B11: kill(pid, 0) must succeed; and if ctdbd was our parent at start, it still must
    /// be (after its death we are re-parented at once, while its PID may linger as a zombie).
    /// </summary>
    public bool IsAlive()
    {
        if (_wasOurParent && LibC.getppid() != Pid)
        {
            return false;
        }

        return LibC.kill(Pid, 0) == 0;
    }
}
