using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Election;

namespace CtdbInterop.Recoverd.Daemon;

internal sealed partial class RecoveryDaemon
{
    // Read-only views for the deterministic simulator's invariants (never used by the daemon itself).
    internal uint ObservedLeader => _election is { } election ? election.Leader : CtdbConstants.UnknownPnn;

    internal bool ObservedElectionInProgress => _election is { IsElectionInProgress: true };

    /// <summary>A classic exchange's timer runs (B83 has not ended it yet).</summary>
    internal bool ObservedClassicExchangeOpen => _election is { ElectionEndDeadline: not null };

    internal int ObservedClassicExchangesEnded => _election?.ClassicExchangesEnded ?? 0;

    internal bool ObservedLockHeld => _election is { IsLockHeld: true };

    internal ClusterLockPhase ObservedLockPhase => _election?.LockPhase ?? ClusterLockPhase.None;
}
