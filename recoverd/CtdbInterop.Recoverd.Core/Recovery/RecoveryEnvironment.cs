using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>
/// What the recovery procedure reads from state it does not own, fresh at every step: the
/// election's leader, election and lock state, the monotonic time and the tunables.
/// </summary>
public sealed record RecoveryEnvironment(
    uint Leader,
    bool ElectionInProgress,
    bool ClusterLockConfigured,
    bool ClusterLockHeld,
    TimeSpan Now,
    RecdTunables Tunables);
