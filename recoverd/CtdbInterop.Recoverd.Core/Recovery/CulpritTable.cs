using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>
/// B57 banning credits per node ("culprits"), B20's threshold and B56's reset. Records keep
/// their insertion order, as the C array does, so bans go out in a stable order.
/// </summary>
public sealed class CulpritTable
{
    private readonly List<Record> _records = [];

    /// <summary>The last node given credits (B51's log line); 0 until then, as in the C daemon.</summary>
    public uint LastCulprit { get; private set; }

    public uint CreditsOf(uint pnn) => _records.FirstOrDefault(r => r.Pnn == pnn)?.Credits ?? 0;

    public int Count => _records.Count;

    /// <summary>
    /// <c>ctdb_set_culprit_count()</c>: ignore a PNN not in the cached map, or any culprit while
    /// this node is inactive (each with a warning); otherwise forgive credits older than the grace
    /// period, add <paramref name="credits"/>, stamp the time and remember the culprit.
    /// </summary>
    public IReadOnlyList<LogLine> Add(uint culprit, uint credits, NodeMapView? nodeMap, NodeFlags ownFlags, TimeSpan now, uint gracePeriodSeconds)
    {
        if (nodeMap is null || !nodeMap.Contains(culprit))
        {
            return [LogLine.Warning($"Unknown culprit node {culprit}").WithFunction("ctdb_set_culprit_count")];
        }

        if (ownFlags.IsInactive())
        {
            return [LogLine.Warning($"This node is INACTIVE, cannot set culprit node {culprit}")];
        }

        var record = _records.FirstOrDefault(r => r.Pnn == culprit);
        if (record is null)
        {
            record = new Record(culprit);
            _records.Add(record);
        }
        else if (record.Credits > 0 && now - record.LastReported > TimeSpan.FromSeconds(gracePeriodSeconds))
        {
            record.Credits = 0;
        }

        record.Credits += credits;
        record.LastReported = now;
        LastCulprit = culprit;
        return [];
    }

    /// <summary>
    /// B20's selection: every node with at least 2 × <paramref name="nodeMapCount"/> credits, whose
    /// count is reset to 0. The caller logs and bans (<see cref="MisbehavingNodes"/>).
    /// </summary>
    public IReadOnlyList<(uint Pnn, uint Credits)> TakeBanCandidates(int nodeMapCount)
    {
        var threshold = 2L * nodeMapCount;
        List<(uint, uint)>? selected = null;
        foreach (var record in _records)
        {
            if (record.Credits >= threshold)
            {
                (selected ??= []).Add((record.Pnn, record.Credits));
                record.Credits = 0;
            }
        }

        return selected.OrEmpty();
    }

    /// <summary>B56: forget every record after a completed recovery.</summary>
    public LogLine Reset()
    {
        _records.Clear();
        return LogLine.Notice("Resetting ban count to 0 for all nodes");
    }

    private sealed class Record(uint pnn)
    {
        public uint Pnn { get; } = pnn;

        public uint Credits { get; set; }

        public TimeSpan LastReported { get; set; }
    }
}
