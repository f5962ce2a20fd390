using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Recoverd.Daemon;

internal sealed partial class RecoveryDaemon
{
    /// <summary>
    /// B88: spawns the cluster mutex helper for one attempt and reports its answer and its
    /// exit back to the election, tagged with the attempt, so a late event of an old attempt
    /// can never be mistaken for the current one. There is never more than one helper.
    /// </summary>
    private IReadOnlyList<RecdAction> StartLockHelper(long attemptId, string lockString)
    {
        if (_lockHelper is not null)
        {
            _log.Error("Cluster mutex helper still running; not starting a second one");
            return _election.OnLockHelperNotStarted(attemptId, "the previous helper is still running", View);
        }

        // The command form, the helper's path and start failures are the helpers' business (logged there).
        if (_helpers.StartClusterMutex(lockString) is not { } helper)
        {
            return _election.OnLockHelperNotStarted(attemptId, "spawning it failed", View);
        }

        _lockHelper = helper;
        _lockHelperAttempt = attemptId;
        _ = WatchLockHelperAsync(helper, attemptId);
        return [];
    }

    private async Task WatchLockHelperAsync(IClusterMutex helper, long attemptId)
    {
        var answer = await helper.Answer;
        if (answer != ClusterMutexAnswer.Cancelled)
        {
            var status = answer switch
            {
                ClusterMutexAnswer.Locked => (byte)'0',
                ClusterMutexAnswer.Contention => (byte)'1',
                ClusterMutexAnswer.Timeout => (byte)'2',
                _ => (byte)'3',
            };
            await DecideAndExecuteAsync(() => _election.OnLockHelperAnswered(attemptId, status, Now, View), _stopping);
        }

        await helper.Exited;
        if (ReferenceEquals(_lockHelper, helper))
        {
            _lockHelper = null;

            // The belief "held" ends now, not when the action lock frees (see OnLockHelperGone).
            Write(_election.OnLockHelperGone(attemptId));
            await DecideAndExecuteAsync(() => _election.OnLockHelperExited(attemptId, Now, View), _stopping);
        }
    }

    /// <summary>B90 with §3.2 rule 13: the lock is free only once the helper is gone.</summary>
    private async Task ReleaseLockHelperAsync(IClusterMutex helper)
    {
        try
        {
            await helper.ReleaseAsync();
        }
        catch (TimeoutException e)
        {
            _log.Error(e.Message);
        }
    }
}
