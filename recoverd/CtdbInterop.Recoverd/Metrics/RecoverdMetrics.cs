using System.Diagnostics.Metrics;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.MainLoop;
using CtdbInterop.Recoverd.Core.Recovery;
using CtdbInterop.Recoverd.Core.Resignation;
using CtdbInterop.Recoverd.Core.Takeover;

namespace CtdbInterop.Recoverd.Metrics;

/// <summary>What the observable gauges show, read from the daemon when the metrics are collected.</summary>
internal readonly record struct MetricsState(bool IsLeader, uint Leader, bool ClusterLockHeld, NodeMapView? NodeMap);

/// <summary>
/// The daemon's instruments (Meter <c>CtdbInterop.Recoverd</c>, so <c>dotnet-counters</c> can read
/// them too). Counters follow the decisions: <see cref="Record"/> takes the cause the core attached
/// to a log line; durations come from the shell, which times the helpers.
/// </summary>
internal sealed class RecoverdMetrics : IDisposable
{
    public const string MeterName = "CtdbInterop.Recoverd";

    private static readonly double[] DurationBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    /// <summary>A node's state as one closed label: the first that applies, in this order.</summary>
    public static IReadOnlyList<string> NodeStates { get; } = ["deleted", "disconnected", "banned", "stopped", "disabled", "unhealthy", "ok"];

    private readonly Meter _meter;
    private readonly Counter<long> _elections;
    private readonly Counter<long> _recoveries;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _resignations;
    private readonly Counter<long> _takeoverRuns;
    private readonly Counter<long> _helperFailures;
    private readonly Counter<long> _bans;
    private readonly Counter<long> _lockEvents;
    private readonly Counter<long> _leaderChanges;
    private readonly Histogram<double> _recoveryDuration;
    private readonly Histogram<double> _takeoverDuration;

    private readonly Func<MetricsState> _state;

    public RecoverdMetrics(Func<MetricsState> state, string version)
    {
        _state = state;
        Version = version;
        Families = Define(version);
        _meter = new Meter(MeterName, version);
        _elections = _meter.CreateCounter<long>("ctdb_recoverd_elections_total", description: Help("ctdb_recoverd_elections_total"));
        _recoveries = _meter.CreateCounter<long>("ctdb_recoverd_recoveries_total", description: Help("ctdb_recoverd_recoveries_total"));
        _recoveryDuration = _meter.CreateHistogram<double>("ctdb_recoverd_recovery_duration_seconds", "s", Help("ctdb_recoverd_recovery_duration_seconds"));
        _refused = _meter.CreateCounter<long>("ctdb_recoverd_recoveries_refused_total", description: Help("ctdb_recoverd_recoveries_refused_total"));
        _resignations = _meter.CreateCounter<long>("ctdb_recoverd_resignations_total", description: Help("ctdb_recoverd_resignations_total"));
        _takeoverRuns = _meter.CreateCounter<long>("ctdb_recoverd_takeover_runs_total", description: Help("ctdb_recoverd_takeover_runs_total"));
        _takeoverDuration = _meter.CreateHistogram<double>("ctdb_recoverd_takeover_run_duration_seconds", "s", Help("ctdb_recoverd_takeover_run_duration_seconds"));
        _helperFailures = _meter.CreateCounter<long>("ctdb_recoverd_helper_failures_total", description: Help("ctdb_recoverd_helper_failures_total"));
        _bans = _meter.CreateCounter<long>("ctdb_recoverd_bans_total", description: Help("ctdb_recoverd_bans_total"));
        _lockEvents = _meter.CreateCounter<long>("ctdb_recoverd_cluster_lock_events_total", description: Help("ctdb_recoverd_cluster_lock_events_total"));
        _leaderChanges = _meter.CreateCounter<long>("ctdb_recoverd_leader_changes_total", description: Help("ctdb_recoverd_leader_changes_total"));
        _meter.CreateObservableGauge("ctdb_recoverd_is_leader", () => state().IsLeader ? 1 : 0, description: Help("ctdb_recoverd_is_leader"));
        _meter.CreateObservableGauge(
            "ctdb_recoverd_leader_pnn",
            () => state().Leader is var leader && leader != CtdbConstants.UnknownPnn ? (long)leader : -1L,
            description: Help("ctdb_recoverd_leader_pnn"));
        _meter.CreateObservableGauge("ctdb_recoverd_cluster_lock_held", () => state().ClusterLockHeld ? 1 : 0, description: Help("ctdb_recoverd_cluster_lock_held"));
        _meter.CreateObservableGauge("ctdb_recoverd_nodes", () => NodeCounts(state().NodeMap), description: Help("ctdb_recoverd_nodes"));
        _meter.CreateObservableGauge(
            "ctdb_recoverd_build_info",
            () => new Measurement<int>(1, new KeyValuePair<string, object?>("version", version)),
            description: Help("ctdb_recoverd_build_info"));
    }

    public Meter Meter => _meter;

    /// <summary>The loop state the observable gauges are computed from (and nothing else is).</summary>
    public MetricsState State => _state();

    public string Version { get; }

    /// <summary>What is exported, in order, with the closed label sets.</summary>
    public IReadOnlyList<MetricFamily> Families { get; }

    /// <summary>Counts the decision a log line records (called for every line with a cause, logged or not).</summary>
    public void Record(DecisionCause cause)
    {
        switch (cause.Kind)
        {
            case DecisionKind.Recovery:
                _recoveries.Add(1, Tag("cause", cause.Check));
                break;
            case DecisionKind.RecoveryRefused:
                _refused.Add(1, Tag("reason", cause.Check));
                break;
            case DecisionKind.Election:
            case DecisionKind.ElectionJoined:
                _elections.Add(1, Tag("trigger", cause.Check));
                break;
            case DecisionKind.LeaderChanged:
                _leaderChanges.Add(1, Tag("source", cause.Check));
                break;
            case DecisionKind.Resignation:
                _resignations.Add(1, Tag("reason", cause.Check));
                break;
            case DecisionKind.Ban:
                _bans.Add(1, Tag("reason", cause.Check));
                break;
            case DecisionKind.ClusterLock:
                _lockEvents.Add(1, Tag("event", cause.Check));
                if (cause.Check is "timeout" or "error")
                {
                    HelperFailed("cluster_mutex", cause.Check == "timeout" ? "timeout" : "failed");
                }

                break;
            case DecisionKind.HelperFailure:
                HelperFailed(cause.Subject ?? "other", cause.Check);
                break;
            case DecisionKind.TakeoverRun:
                // Counted by result when the run ends (TakeoverRunFinished).
                break;
        }
    }

    public void RecoveryFinished(TimeSpan duration) => _recoveryDuration.Record(duration.TotalSeconds);

    /// <summary>A takeover run ended: "ok", "failed" or "refused" (gate disabled or a run in progress; no duration).</summary>
    public void TakeoverRunFinished(string result, TimeSpan? duration)
    {
        _takeoverRuns.Add(1, Tag("result", result));
        if (duration is { } d)
        {
            _takeoverDuration.Record(d.TotalSeconds);
        }
    }

    public void Dispose() => _meter.Dispose();

    private void HelperFailed(string helper, string kind) =>
        _helperFailures.Add(1, new KeyValuePair<string, object?>("helper", helper), new KeyValuePair<string, object?>("kind", kind));

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private static IEnumerable<Measurement<int>> NodeCounts(NodeMapView? map)
    {
        var counts = new int[NodeStates.Count];
        foreach (var node in map?.Nodes ?? [])
        {
            counts[StateIndex(node.Flags)]++;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            yield return new Measurement<int>(counts[i], new KeyValuePair<string, object?>("state", NodeStates[i]));
        }
    }

    private static int StateIndex(NodeFlags flags) =>
        (flags & NodeFlags.Deleted) != 0 ? 0
        : (flags & NodeFlags.Disconnected) != 0 ? 1
        : (flags & NodeFlags.Banned) != 0 ? 2
        : (flags & NodeFlags.Stopped) != 0 ? 3
        : (flags & NodeFlags.PermanentlyDisabled) != 0 ? 4
        : (flags & NodeFlags.Unhealthy) != 0 ? 5
        : 6;

    private static string Help(string name) => HelpTexts[name];

    private static readonly Dictionary<string, string> HelpTexts = new(StringComparer.Ordinal)
    {
        ["ctdb_recoverd_is_leader"] = "1 when this node is the cluster leader (recovery master), else 0.",
        ["ctdb_recoverd_leader_pnn"] = "PNN of the leader this node believes in; -1 when no leader is known.",
        ["ctdb_recoverd_elections_total"] = "Elections this node started or took part in, by trigger.",
        ["ctdb_recoverd_leader_changes_total"] = "Changes of the leader this node believes in, by how the new leader became known.",
        ["ctdb_recoverd_recoveries_total"] = "Recoveries this node started as leader, by the check that asked for them.",
        ["ctdb_recoverd_recovery_duration_seconds"] = "Duration of completed recoveries.",
        ["ctdb_recoverd_recoveries_refused_total"] = "Recoveries refused by the pre-recovery guard (bug 16082) or the leader test, by reason.",
        ["ctdb_recoverd_resignations_total"] = "Times this node gave up leadership, by reason.",
        ["ctdb_recoverd_takeover_runs_total"] = "Takeover runs this node started as leader, by result.",
        ["ctdb_recoverd_takeover_run_duration_seconds"] = "Duration of takeover runs that ran the takeover helper.",
        ["ctdb_recoverd_cluster_lock_held"] = "1 while this node holds the cluster lock, else 0.",
        ["ctdb_recoverd_cluster_lock_events_total"] = "Cluster lock taken, lost, contention, timeout and errors.",
        ["ctdb_recoverd_helper_failures_total"] = "Failed, timed-out, aborted or unstartable helper runs, by helper and kind.",
        ["ctdb_recoverd_bans_total"] = "Bans this node imposed, by reason.",
        ["ctdb_recoverd_nodes"] = "Nodes of the cluster by state, from this node's node map.",
        ["ctdb_recoverd_build_info"] = "Always 1; the version label is this daemon's version.",
    };

    private static IReadOnlyList<MetricFamily> Define(string version)
    {
        MetricFamily Counter(string name, string label, IReadOnlyList<string> values) =>
            new(name, MetricType.Counter, Help(name), [new LabelSet(label, values)]);
        MetricFamily Gauge(string name) => new(name, MetricType.Gauge, Help(name), []);
        MetricFamily Histogram(string name) => new(name, MetricType.Histogram, Help(name), [], DurationBuckets);

        return
        [
            Gauge("ctdb_recoverd_is_leader"),
            Gauge("ctdb_recoverd_leader_pnn"),
            Counter("ctdb_recoverd_elections_total", "trigger", ElectionCauses.TriggerLabels),
            Counter("ctdb_recoverd_leader_changes_total", "source", ElectionCauses.LeaderChangeLabels),
            Counter("ctdb_recoverd_recoveries_total", "cause", RecoveryCause.Labels.All),
            Histogram("ctdb_recoverd_recovery_duration_seconds"),
            Counter("ctdb_recoverd_recoveries_refused_total", "reason", RefusalCauses.AllLabels),
            Counter("ctdb_recoverd_resignations_total", "reason", ResignReason.AllLabels),
            Counter("ctdb_recoverd_takeover_runs_total", "result", TakeoverCauses.ResultLabels),
            Histogram("ctdb_recoverd_takeover_run_duration_seconds"),
            Gauge("ctdb_recoverd_cluster_lock_held"),
            Counter("ctdb_recoverd_cluster_lock_events_total", "event", ElectionCauses.LockEventLabels),
            new MetricFamily(
                "ctdb_recoverd_helper_failures_total",
                MetricType.Counter,
                Help("ctdb_recoverd_helper_failures_total"),
                [new LabelSet("helper", HelperFailureCauses.HelperLabels), new LabelSet("kind", HelperFailureCauses.KindLabels)]),
            Counter("ctdb_recoverd_bans_total", "reason", Banning.ReasonLabels),
            new MetricFamily("ctdb_recoverd_nodes", MetricType.Gauge, Help("ctdb_recoverd_nodes"), [new LabelSet("state", NodeStates)]),
            new MetricFamily("ctdb_recoverd_build_info", MetricType.Gauge, Help("ctdb_recoverd_build_info"), [new LabelSet("version", [version])]),
        ];
    }
}
