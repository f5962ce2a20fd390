using System.Net;
using System.Net.NetworkInformation;

namespace CtdbInterop.Recoverd.Daemon;

/// <summary>The addresses on this host's interfaces (B44: is an assigned public IP really here?).</summary>
internal static class LocalAddresses
{
    public static HashSet<IPAddress> Current() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .ToHashSet();
}
