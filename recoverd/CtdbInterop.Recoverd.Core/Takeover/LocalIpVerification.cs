using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Takeover;

/// <summary>The first part of B40-B41: housekeeping actions and whether to read and check anything.</summary>
public sealed record LocalIpStart(IReadOnlyList<RecdAction> Actions, bool CheckIps);

/// <summary>
/// B25/B40-B45 <c>verify_local_ip_allocation()</c>, run by every active node whose local recovery
/// mode is NORMAL. Two steps around the reads: <see cref="Begin"/>, then (if it says so) read
/// interfaces (feed them to the <see cref="InterfaceChangeDetector"/>), available IPs and — outside
/// test mode — known IPs with their presence, and call <see cref="Evaluate"/>.
/// </summary>
public static class LocalIpVerification
{
    private static readonly IReadOnlyList<RecdAction> DropRequests = [new RecdAction.DropTakeoverRequests()];

    /// <summary>
    /// B40: a non-leader drops queued takeover requests without reply and clears rebalance
    /// targets; with none of either queued (<paramref name="takeoverWorkQueued"/> false) there
    /// is nothing to drop, and an idle follower executes no action every second (issue 7).
    /// B41: stop when failover is disabled or takeover runs are disabled.
    /// </summary>
    public static LocalIpStart Begin(bool isLeader, bool failoverDisabled, bool takeoverRunsDisabled, bool takeoverWorkQueued)
    {
        return new LocalIpStart(isLeader || !takeoverWorkQueued ? [] : DropRequests, !failoverDisabled && !takeoverRunsDisabled);
    }

    /// <summary>
    /// B42-B45. A failed available-IP read stops without a trigger (even after an interface
    /// change, as in C); so does a failed known-IP read. <paramref name="known"/> is null in test
    /// mode (B44 skipped). Any reason → <c>Trigger takeoverrun</c> and the B45 broadcast.
    /// </summary>
    public static IReadOnlyList<RecdAction> Evaluate(
        IpCheck interfaces,
        FetchResult<IReadOnlyList<PublicIpView>> available,
        FetchResult<IReadOnlyList<KnownIpView>>? known,
        NodeFlags ownFlags,
        uint ownPnn)
    {
        ArgumentNullException.ThrowIfNull(interfaces);

        // Built only when there is something to log: an idle node checks every second (issue 7).
        List<RecdAction>? actions = null;
        LogAll(ref actions, interfaces.Logs);
        if (!available.TryGetValue(out var availableIps))
        {
            (actions ??= []).Log(LogLine.Error("Unable to retrieve available public IPs"));
            return actions;
        }

        var unhosted = PublicIpChecks.Unhosted(availableIps, ownFlags);
        LogAll(ref actions, unhosted.Logs);
        var needsTakeoverRun = interfaces.NeedsTakeoverRun || unhosted.NeedsTakeoverRun;

        if (known is { } knownRead)
        {
            if (!knownRead.TryGetValue(out var knownIps))
            {
                (actions ??= []).Log(LogLine.Error("Unable to retrieve known public IPs"));
                return actions;
            }

            var presence = PublicIpChecks.Presence(knownIps, ownPnn);
            LogAll(ref actions, presence.Logs);
            needsTakeoverRun |= presence.NeedsTakeoverRun;
        }

        if (needsTakeoverRun)
        {
            (actions ??= []).Log(LogLine.Notice("Trigger takeoverrun"));
            actions.Add(new RecdAction.SendTakeoverRunRequest(ownPnn));
        }

        return actions.OrEmpty();
    }

    private static void LogAll(ref List<RecdAction>? actions, IReadOnlyList<LogLine> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            (actions ??= []).Log(lines[i]);
        }
    }
}
