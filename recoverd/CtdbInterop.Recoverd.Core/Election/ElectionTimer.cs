namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>The election's timers, in the order they fire when due at the same instant.</summary>
public enum ElectionTimer
{
    /// <summary>B88: the 120 s limit of a cluster-lock attempt.</summary>
    LockAttempt,

    /// <summary>B83: end of a classic election, <c>ElectionTimeout</c> after the last message.</summary>
    ElectionEnd,

    /// <summary>B81/B82: the delayed own election request (0.5 s).</summary>
    CounterRequest,

    /// <summary>B74: no leader broadcast for <c>[cluster] leader timeout</c>.</summary>
    LeaderTimeout,

    /// <summary>B73: the 1 s leader-broadcast loop.</summary>
    BroadcastLoop,
}
