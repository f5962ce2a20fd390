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
    /// <summary>
    /// B40: a non-leader drops queued takeover requests without reply and clears rebalance
    /// targets. B41: stop when failover is disabled or takeover runs are disabled.
    /// </summary>
    public static LocalIpStart Begin(bool isLeader, bool failoverDisabled, bool takeoverRunsDisabled)
    {
        IReadOnlyList<RecdAction> actions = isLeader ? [] : [new RecdAction.DropTakeoverRequests()];
        return new LocalIpStart(actions, !failoverDisabled && !takeoverRunsDisabled);
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
        var actions = new List<RecdAction>();
        foreach (var line in interfaces.Logs)
        {
            actions.Log(line);
        }

        if (!available.TryGetValue(out var availableIps))
        {
            actions.Log(LogLine.Error("Unable to retrieve available public IPs"));
            return actions;
        }

        var unhosted = PublicIpChecks.Unhosted(availableIps, ownFlags);
        var checks = new List<IpCheck> { interfaces, unhosted };
        foreach (var line in unhosted.Logs)
        {
            actions.Log(line);
        }

        if (known is { } knownRead)
        {
            if (!knownRead.TryGetValue(out var knownIps))
            {
                actions.Log(LogLine.Error("Unable to retrieve known public IPs"));
                return actions;
            }

            var presence = PublicIpChecks.Presence(knownIps, ownPnn);
            checks.Add(presence);
            foreach (var line in presence.Logs)
            {
                actions.Log(line);
            }
        }

        if (checks.Any(c => c.NeedsTakeoverRun))
        {
            actions.Log(LogLine.Notice("Trigger takeoverrun"));
            actions.Add(new RecdAction.SendTakeoverRunRequest(ownPnn));
        }

        return actions;
    }
}
