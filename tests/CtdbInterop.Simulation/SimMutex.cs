using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Simulation;

/// <summary>
/// One cluster mutex helper: answers after the acquire latency ('0' if the one mutex is free,
/// '1' otherwise); a held lock is lost when the helper dies, and is free only once it has exited.
/// </summary>
internal sealed class SimMutex(SimDaemonHost owner) : IClusterMutex
{
    private readonly TaskCompletionSource<ClusterMutexAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _released;

    public Task<ClusterMutexAnswer> Answer => _answer.Task;

    public Task Exited => _exited.Task;

    public bool HasExited { get; private set; }

    private SimCluster Cluster => owner.Cluster;

    public void Begin()
    {
        var now = Cluster.Scheduler.NowTicks;
        var latency = Cluster.LockSlowUntil > now
            ? TimeSpan.FromMilliseconds(owner.Random.Next(5500, 9000))
            : TimeSpan.FromMilliseconds(owner.Random.Next(1, 40));
        Cluster.Scheduler.At(latency, Decide);
    }

    private void Decide()
    {
        if (_released || HasExited)
        {
            return;
        }

        if (Cluster.LockHolder is null)
        {
            Cluster.LockHolder = this;
            Cluster.Timeline.Add(Cluster.Scheduler.Now, owner.Pnn, "mutex helper: lock taken ('0')");
            _answer.TrySetResult(ClusterMutexAnswer.Locked);
            return;
        }

        Cluster.Timeline.Add(Cluster.Scheduler.Now, owner.Pnn, $"mutex helper: contention ('1'), held by node {Cluster.LockHolder.OwnerPnn}");
        _answer.TrySetResult(ClusterMutexAnswer.Contention);
        Cluster.Scheduler.At(TimeSpan.FromMilliseconds(1), Exit);
    }

    public uint OwnerPnn => owner.Pnn;

    public Task ReleaseAsync()
    {
        if (!_released && !HasExited)
        {
            _released = true;
            _answer.TrySetResult(ClusterMutexAnswer.Cancelled);
            Cluster.Scheduler.At(TimeSpan.FromMilliseconds(owner.Random.Next(1, 5)), Exit);
        }

        return _exited.Task;
    }

    /// <summary>Fault: the helper dies while holding the lock (lock loss).</summary>
    public bool Lose()
    {
        if (HasExited || !ReferenceEquals(Cluster.LockHolder, this))
        {
            return false;
        }

        Cluster.Timeline.Add(Cluster.Scheduler.Now, owner.Pnn, "mutex helper died: lock lost");
        Exit();
        return true;
    }

    /// <summary>The daemon died: the helper notices its parent is gone and exits.</summary>
    public void OwnerDied()
    {
        _released = true;
        Cluster.Scheduler.At(TimeSpan.FromMilliseconds(5), Exit);
    }

    private void Exit()
    {
        if (HasExited)
        {
            return;
        }

        HasExited = true;
        if (ReferenceEquals(Cluster.LockHolder, this))
        {
            Cluster.LockHolder = null;
        }

        _answer.TrySetResult(ClusterMutexAnswer.Unknown);
        if (!owner.IsDead)
        {
            _exited.TrySetResult();
        }
    }
}
