namespace CtdbInterop.Recoverd.Processes;

/// <summary>
/// The helper programs the daemon runs (cluster mutex, recovery and takeover helpers). The
/// production implementation spawns ctdb's programs; the simulator applies their effects
/// to simulated nodes.
/// </summary>
internal interface IDaemonHelpers
{
    /// <summary>Starts a lock attempt; null when it could not be started (the reason is logged).</summary>
    IClusterMutex? StartClusterMutex(string lockString);

    /// <summary>ctdb_recovery_helper for <paramref name="generation"/>; cancellation kills it.</summary>
    Task<HelperResult> RunRecoveryAsync(uint generation, CancellationToken ct);

    /// <summary>ctdb_takeover_helper with the optional forced-rebalance list; cancellation kills it.</summary>
    Task<HelperResult> RunTakeoverAsync(string? rebalanceArgument, CancellationToken ct);
}
