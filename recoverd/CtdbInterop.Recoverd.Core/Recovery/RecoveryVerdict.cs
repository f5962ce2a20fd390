using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.Resignation;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>Why <see cref="RecoveryGuard.MayRecover"/> refused.</summary>
public enum RecoveryRefusal
{
    /// <summary>Rule 2: the node map could not be read from the own node (or had no own entry).</summary>
    NodeMapFetchFailed,

    /// <summary>Rule 3: the fresh own flags have an INACTIVE bit.</summary>
    Inactive,

    /// <summary>Rule 3: the own capabilities lack RECMASTER.</summary>
    NoLeaderCapability,

    /// <summary>B46: another node is leader now.</summary>
    NotLeader,
}

/// <summary>The verdict of the pre-recovery guard.</summary>
public abstract record RecoveryVerdict
{
    private protected RecoveryVerdict()
    {
    }

    public sealed record Allowed : RecoveryVerdict;

    /// <summary>
    /// No recovery. Log <paramref name="Logs"/>; when <see cref="MustResign"/> the node resigns at
    /// once (§3.3) with <see cref="Resign"/>.
    /// </summary>
    public sealed record Refused(RecoveryRefusal Reason, NodeFlags ObservedFlags, uint Leader, IReadOnlyList<LogLine> Logs) : RecoveryVerdict
    {
        public bool MustResign => Reason is RecoveryRefusal.Inactive or RecoveryRefusal.NoLeaderCapability;

        public ResignReason? Resign => MustResign ? ResignReason.CannotLead(ObservedFlags) : null;
    }
}
