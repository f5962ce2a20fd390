using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Takeover;

/// <summary>A public IP from GET_PUBLIC_IPS: its text form and hosting PNN (UNKNOWN = unassigned).</summary>
public readonly record struct PublicIpView(string Address, uint Pnn);

/// <summary>A known public IP plus whether it is present on a local interface (the shell's getifaddrs/bind probe).</summary>
public readonly record struct KnownIpView(string Address, uint Pnn, bool PresentOnInterface);

/// <summary>B43/B44 decisions on data the shell has read.</summary>
public static class PublicIpChecks
{
    /// <summary>
    /// B43: with own flags exactly 0, every unassigned available IP is
    /// <c>Unassigned IP %s can be served by this node</c> and needs a takeover run.
    /// </summary>
    public static IpCheck Unhosted(IReadOnlyList<PublicIpView> available, NodeFlags ownFlags)
    {
        ArgumentNullException.ThrowIfNull(available);
        if (ownFlags != 0)
        {
            return IpCheck.Fine;
        }

        List<LogLine>? logs = null;
        for (var i = 0; i < available.Count; i++)
        {
            var ip = available[i];
            if (ip.Pnn == CtdbConstants.UnknownPnn)
            {
                (logs ??= []).Add(LogLine.Warning($"Unassigned IP {ip.Address} can be served by this node"));
            }
        }

        return logs is null ? IpCheck.Fine : new IpCheck(true, logs);
    }

    /// <summary>
    /// B44: an IP assigned here but absent, or assigned elsewhere (or unassigned) but present,
    /// needs a takeover run.
    /// </summary>
    public static IpCheck Presence(IReadOnlyList<KnownIpView> known, uint ownPnn)
    {
        ArgumentNullException.ThrowIfNull(known);
        List<LogLine>? logs = null;
        for (var i = 0; i < known.Count; i++)
        {
            var ip = known[i];
            if (ip.Pnn == ownPnn && !ip.PresentOnInterface)
            {
                (logs ??= []).Add(LogLine.Error($"Assigned IP {ip.Address} not on an interface"));
            }
            else if (ip.Pnn != ownPnn && ip.PresentOnInterface)
            {
                (logs ??= []).Add(LogLine.Error($"IP {ip.Address} incorrectly on an interface"));
            }
        }

        return logs is null ? IpCheck.Fine : new IpCheck(true, logs);
    }
}
