using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Recoverd.Daemon;

internal sealed partial class RecoveryDaemon
{
    // Read-only views for the deterministic simulator's invariants (never used by the daemon itself).
    internal uint ObservedLeader => _election is { } election ? election.Leader : CtdbConstants.UnknownPnn;

    internal bool ObservedElectionInProgress => _election is { IsElectionInProgress: true };

    internal bool ObservedLockHeld => _election is { IsLockHeld: true };
}
