using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Reporting;

/// <summary>
/// B09 <c>maybe_log_cluster_state()</c>, only used when no cluster lock is configured: every 60 s
/// the leader logs when the cluster becomes complete or incomplete, and while incomplete every
/// minute for 10 minutes, every 10 minutes up to an hour, then hourly. The "incomplete since"
/// state lives here (process-wide static in C).
/// </summary>
public sealed class ClusterStateReporter
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    private TimeSpan? _incompleteSince;

    /// <summary>Arms the first run 60 s after <paramref name="start"/>.</summary>
    public ClusterStateReporter(TimeSpan start) => NextDeadline = start + Interval;

    public TimeSpan NextDeadline { get; private set; }

    /// <summary>One run when <see cref="NextDeadline"/> has passed (re-arms 60 s later); early calls do nothing.</summary>
    public IReadOnlyList<LogLine> OnTimerDue(TimeSpan now, uint ownPnn, uint leader, NodeMapView? nodeMap)
    {
        if (now < NextDeadline)
        {
            return [];
        }

        NextDeadline = now + Interval;
        if (leader != ownPnn || nodeMap is null)
        {
            return [];
        }

        var complete = true;
        uint connected = 0;
        foreach (var node in nodeMap.Nodes)
        {
            if (node.Pnn == ownPnn || (node.Flags & NodeFlags.Deleted) != 0)
            {
                continue;
            }

            if (!node.IsConnected)
            {
                complete = false;
                continue;
            }

            connected++;
        }

        if (complete)
        {
            if (_incompleteSince is null)
            {
                return [];
            }

            _incompleteSince = null;
            return [LogLine.Warning($"Cluster complete with leader={leader}")];
        }

        uint minutes;
        if (_incompleteSince is not { } since)
        {
            _incompleteSince = now;
            minutes = 0;
        }
        else
        {
            minutes = (uint)((now - since).TotalSeconds / 60);
            var skip = minutes >= 60 ? minutes % 60 != 0 : minutes >= 10 && minutes % 10 != 0;
            if (skip)
            {
                return [];
            }
        }

        return [LogLine.Warning($"Cluster incomplete with leader={leader}, elapsed={minutes} minutes, connected={connected}")];
    }
}
