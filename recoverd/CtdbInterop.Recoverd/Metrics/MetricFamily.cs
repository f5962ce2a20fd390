namespace CtdbInterop.Recoverd.Metrics;

/// <summary>The Prometheus types this exporter writes.</summary>
internal enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>One label and every value it may take (closed set: no node names, no free text).</summary>
internal sealed record LabelSet(string Name, IReadOnlyList<string> Values);

/// <summary>
/// A metric as exported: its Prometheus name (also the instrument's name), type, help text,
/// closed labels (at most two) and, for histograms, the bucket bounds.
/// </summary>
internal sealed record MetricFamily(string Name, MetricType Type, string Help, IReadOnlyList<LabelSet> Labels, IReadOnlyList<double>? Buckets = null)
{
    /// <summary>Every combination of label values, in declaration order (one empty combination without labels).</summary>
    public IReadOnlyList<string[]> Combinations()
    {
        IEnumerable<string[]> combos = [[]];
        foreach (var label in Labels)
        {
            combos = combos.SelectMany(c => label.Values.Select(v => (string[])[.. c, v]));
        }

        return combos.ToList();
    }
}
