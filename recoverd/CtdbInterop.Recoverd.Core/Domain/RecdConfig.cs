namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>
/// What the daemon learns once at start (section 1.3) and never changes afterwards.
/// </summary>
/// <param name="OwnPnn">This node's PNN (GET_PNN).</param>
/// <param name="ClusterLock">The lock string from GET_RECLOCK_FILE, or null when no cluster
/// lock is configured (classic elections, B87).</param>
/// <param name="LeaderTimeout"><c>[cluster] leader timeout</c> (B74), default 5 s.</param>
/// <param name="TestMode"><c>CTDB_TEST_MODE</c> is set: fast start (B85), no address presence checks (B44).</param>
/// <param name="FailoverDisabled"><c>[failover] disabled</c> (B41, B64).</param>
public sealed record RecdConfig(
    uint OwnPnn,
    string? ClusterLock = null,
    TimeSpan? LeaderTimeout = null,
    bool TestMode = false,
    bool FailoverDisabled = false)
{
    public bool ClusterLockConfigured => ClusterLock is not null;

    public TimeSpan EffectiveLeaderTimeout => LeaderTimeout ?? TimeSpan.FromSeconds(5);
}
