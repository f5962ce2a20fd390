using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Takeover;

/// <summary>B42 <c>interfaces_have_changed()</c>: remembers the last interface list.</summary>
public sealed class InterfaceChangeDetector
{
    private IReadOnlyList<InterfaceInfo>? _last;

    /// <summary>
    /// A failed read counts as a change (the stored list stays); the first list is a change;
    /// then a different count, the first slot whose name or link state differs.
    /// </summary>
    public IpCheck Observe(FetchResult<IReadOnlyList<InterfaceInfo>> fetched, uint ownPnn)
    {
        if (!fetched.TryGetValue(out var current))
        {
            return new IpCheck(true, [LogLine.Error($"Unable to get interfaces from local node {ownPnn}")]);
        }

        var change = Compare(_last, current);

        // An unchanged list is the stored one already: no copy every second (issue 7).
        if (change.NeedsTakeoverRun)
        {
            _last = current.ToArray();
        }

        return change;
    }

    private static IpCheck Compare(IReadOnlyList<InterfaceInfo>? previous, IReadOnlyList<InterfaceInfo> current)
    {
        if (previous is null)
        {
            return new IpCheck(true, [LogLine.Notice("Initial interface fetched")]);
        }

        if (previous.Count != current.Count)
        {
            return new IpCheck(true, [LogLine.Notice($"Interface count changed from {previous.Count} to {current.Count}")]);
        }

        for (var i = 0; i < previous.Count; i++)
        {
            if (!string.Equals(previous[i].Name, current[i].Name, StringComparison.Ordinal))
            {
                return new IpCheck(true, [LogLine.Notice($"Interface in slot {i} changed: {previous[i].Name} => {current[i].Name}")]);
            }

            if (previous[i].LinkState != current[i].LinkState)
            {
                return new IpCheck(true, [LogLine.Notice($"Interface {previous[i].Name} changed state: {previous[i].LinkState} => {current[i].LinkState}")]);
            }
        }

        return IpCheck.Fine;
    }
}
