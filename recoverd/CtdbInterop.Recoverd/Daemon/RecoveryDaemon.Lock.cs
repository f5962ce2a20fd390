using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Native;
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
            return _election.OnLockHelperAnswered(attemptId, (byte)'3', Now, View);
        }

        ClusterMutexCommand command;
        if (ClusterMutexCommand.IsCommandForm(lockString))
        {
            if (!ClusterMutexCommand.TryParseCommand(lockString, out var parsed, out var error))
            {
                _log.Error($"Invalid cluster lock command \"{lockString}\": {error}");
                return _election.OnLockHelperAnswered(attemptId, (byte)'3', Now, View);
            }

            command = parsed!;
        }
        else
        {
            command = ClusterMutexCommand.ForFile(_locator.ClusterMutexHelper(), lockString);
        }

        ClusterMutexHelper helper;
        try
        {
            helper = ClusterMutexHelper.Start(ParentDeathWrapper.Wrap(command), lockString, _spawner, _log, logEvents: false);
        }
        catch (UnixException e)
        {
            _log.Error($"Unable to start cluster mutex helper: {e.Message}");
            return _election.OnLockHelperAnswered(attemptId, (byte)'3', Now, View);
        }

        _lockHelper = helper;
        _lockHelperAttempt = attemptId;
        _ = WatchLockHelperAsync(helper, attemptId);
        return [];
    }

    private async Task WatchLockHelperAsync(ClusterMutexHelper helper, long attemptId)
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
            await ExecuteAsync(_election.OnLockHelperAnswered(attemptId, status, Now, View), _stopping);
        }

        await helper.Exited;
        if (ReferenceEquals(_lockHelper, helper))
        {
            _lockHelper = null;
            await ExecuteAsync(_election.OnLockHelperExited(attemptId, Now, View), _stopping);
        }
    }

    /// <summary>B90 with §3.2 rule 13: the lock is free only once the helper is gone.</summary>
    private async Task ReleaseLockHelperAsync(ClusterMutexHelper helper)
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
