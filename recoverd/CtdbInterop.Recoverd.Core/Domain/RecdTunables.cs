namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>
/// The ctdbd tunables the decisions read (section 6), in the tunable list's units
/// (seconds). The shell refreshes them every loop (B17) and passes the current value in.
/// </summary>
public sealed record RecdTunables(
    uint RecoverTimeout = 30,
    uint RecoverInterval = 1,
    uint ElectionTimeout = 3,
    uint RecoveryGracePeriod = 120,
    uint RecoveryBanPeriod = 300,
    uint RerecoveryTimeout = 10)
{
    public static RecdTunables Defaults { get; } = new();
}
