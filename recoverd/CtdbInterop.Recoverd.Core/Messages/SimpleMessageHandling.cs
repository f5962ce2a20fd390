using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.Recovery;

namespace CtdbInterop.Recoverd.Core.Messages;

/// <summary>The message handlers that need no state machine of their own (B72, B95, B96).</summary>
public static class SimpleMessageHandling
{
    /// <summary>
    /// B72 <c>CTDB_SRVID_BANNING</c> (4-byte PNN from the takeover helper): on the leader, as many
    /// credits as the cached map has entries; ignored elsewhere. Returns the log lines.
    /// </summary>
    public static IReadOnlyList<LogLine> Banning(
        uint pnn, bool isLeader, CulpritTable culprits, NodeMapView? nodeMap, NodeFlags ownFlags, TimeSpan now, RecdTunables tunables)
    {
        ArgumentNullException.ThrowIfNull(culprits);
        ArgumentNullException.ThrowIfNull(tunables);
        if (!isLeader)
        {
            return [];
        }

        return culprits.Add(pnn, (uint)(nodeMap?.Count ?? 0), nodeMap, ownFlags, now, tunables.RecoveryGracePeriod);
    }

    /// <summary>B72 with a payload that is not 4 bytes.</summary>
    public static LogLine BanningWrongSize(int actualSize) =>
        LogLine.Error($"invalid data size {actualSize}").AtLocation("banning_handler");

    /// <summary>B95: the obsolete <c>CTDB_SRVID_SET_NODE_FLAGS</c>.</summary>
    public static LogLine ObsoleteSetNodeFlags() =>
        LogLine.Warning("SRVID CTDB_SRVID_SET_NODE_FLAGS (0xf400000000000000) is obsolete");

    /// <summary>
    /// Ours, not the C daemon's: ctdbd released one of this node's public addresses
    /// (<c>CTDB_SRVID_RELEASE_IP</c>). It does so for a takeover run, and for every address
    /// when it bans or stops the node; the daemon then runs its loop at once. The address is
    /// printed as text only up to 64 printable characters, so a bad payload cannot garble
    /// the log.
    /// </summary>
    public static LogLine AddressReleased(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var shown = new System.Text.StringBuilder(Math.Min(address.Length, MaxShownAddress));
        foreach (var c in address)
        {
            if (shown.Length == MaxShownAddress)
            {
                break;
            }

            shown.Append(char.IsControl(c) ? '?' : c);
        }

        return LogLine.Info($"Public address {shown} released on this node, checking the node's state now");
    }

    private const int MaxShownAddress = 64;

    /// <summary>B96 <c>CTDB_SRVID_RELOAD_NODES</c>: log and re-read the node list from ctdbd.</summary>
    public static IReadOnlyList<RecdAction> ReloadNodes() =>
    [
        new RecdAction.Log(LogLine.Error("Reload nodes file from recovery daemon").AtLocation("reload_nodes_handler")),
        new RecdAction.ReloadNodeList(),
    ];
}
