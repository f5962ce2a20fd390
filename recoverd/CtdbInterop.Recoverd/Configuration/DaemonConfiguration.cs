namespace CtdbInterop.Recoverd.Configuration;

/// <summary>
/// The three ctdb.conf values that no control returns (section 1.3), read once at start.
/// </summary>
internal sealed record DaemonConfiguration(int LeaderTimeoutSeconds, bool FailoverDisabled, string StateDatabaseDirectory)
{
    public const int DefaultLeaderTimeoutSeconds = 5;
    public const string DefaultStateDatabaseDirectory = "/var/lib/ctdb/state";

    public static DaemonConfiguration Defaults { get; } = new(DefaultLeaderTimeoutSeconds, false, DefaultStateDatabaseDirectory);

    /// <summary><c>[cluster] leader timeout</c>: silence from the leader after which an election starts.</summary>
    public TimeSpan LeaderTimeout => TimeSpan.FromSeconds(LeaderTimeoutSeconds);
}
