namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>Why B80 decided as it did, in the order the rules are applied.</summary>
public enum ElectionReason
{
    /// <summary>This node cannot lead (inactive or no RECMASTER capability): always lose.</summary>
    SelfCannotLead,

    /// <summary>The sender's flags have an INACTIVE bit: always win.</summary>
    SenderInactive,

    /// <summary>Own priority time is older (the longer-running daemon wins).</summary>
    OwnPriorityOlder,

    /// <summary>Own priority time is newer.</summary>
    OwnPriorityNewer,

    /// <summary>Equal priority times, own PNN higher.</summary>
    TieOwnPnnHigher,

    /// <summary>Equal priority times, own PNN not higher.</summary>
    TieOwnPnnNotHigher,
}

/// <summary>The result of comparing own election data with a received message (B80).</summary>
public readonly record struct ElectionOutcome(bool OwnWins, ElectionReason Reason);
