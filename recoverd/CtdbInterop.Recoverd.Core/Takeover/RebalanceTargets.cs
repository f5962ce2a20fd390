using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Takeover;

/// <summary>
/// B67 forced-rebalance targets, passed to the takeover helper (B64). The version changes
/// whenever the list is replaced, standing in for the C daemon's pointer comparison (B63 step 7).
/// </summary>
public sealed class RebalanceTargets
{
    private List<uint> _targets = [];

    public IReadOnlyList<uint> Current => _targets;

    public long Version { get; private set; }

    /// <summary>
    /// <c>CTDB_SRVID_REBALANCE_NODE</c>: ignored unless leader; otherwise log
    /// <c>Setting up rebalance of IPs to node %u</c> and append (duplicates allowed).
    /// </summary>
    public IReadOnlyList<LogLine> Add(uint pnn, bool isLeader)
    {
        if (!isLeader)
        {
            return [];
        }

        _targets = [.. _targets, pnn];
        Version++;
        return [LogLine.Notice($"Setting up rebalance of IPs to node {pnn}")];
    }

    /// <summary>A 4-byte payload is required.</summary>
    public static LogLine WrongSize(int actualSize) =>
        LogLine.Error($"Incorrect size of node rebalance message. Was {actualSize} but expected 4 bytes").AtLocation("recd_node_rebalance_handler");

    /// <summary>B40/§3.3: forget the targets (a no-op on an empty list, which keeps the version).</summary>
    public void Clear()
    {
        if (_targets.Count == 0)
        {
            return;
        }

        _targets = [];
        Version++;
    }

    /// <summary>B63 step 7: clear after a successful run unless the list was replaced meanwhile.</summary>
    public LogLine? ClearIfUnchanged(long versionAtStart)
    {
        if (versionAtStart != Version)
        {
            return LogLine.Warning("Rebalance target nodes changed during takeover run - not clearing");
        }

        Clear();
        return null;
    }
}
