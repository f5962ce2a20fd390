using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace CtdbInterop.Recoverd.Metrics;

/// <summary>
/// Listens to the instruments of one <see cref="Meter"/> (a <see cref="MeterListener"/>, no
/// reflection) and keeps their values per closed label combination; <see cref="Render"/> writes
/// the Prometheus text format (0.0.4). A measurement whose tags are outside the family's closed
/// label set is not exported; it is counted in <see cref="Rejected"/>.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly Lock _lock = new();
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, Family> _families = new(StringComparer.Ordinal);
    private readonly List<Family> _ordered = [];
    private readonly StringBuilder _text = new(16 * 1024);
    private bool _changed = true;

    public MetricsCollector(Meter meter, IReadOnlyList<MetricFamily> families)
    {
        foreach (var definition in families)
        {
            var family = new Family(definition);
            _families.Add(definition.Name, family);
            _ordered.Add(family);
        }

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && _families.TryGetValue(instrument.Name, out var family))
            {
                listener.EnableMeasurementEvents(instrument, family);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => ((Family)state!).Add(this, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => ((Family)state!).Add(this, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => ((Family)state!).Add(this, value, tags));
        _listener.Start();
    }

    /// <summary>True when a counter or histogram moved (or a gauge changed) since the last render.</summary>
    public bool HasUnrenderedChanges
    {
        get
        {
            lock (_lock)
            {
                return _changed;
            }
        }
    }

    /// <summary>Measurements dropped because a label value was outside its closed set.</summary>
    public long Rejected { get; private set; }

    /// <summary>
    /// Reads the observable gauges; true when any exported value (gauge, counter or histogram)
    /// differs from the last <see cref="RenderCollected"/>. Cheap enough for every loop
    /// iteration: no text, and allocations only in the instruments' own callbacks.
    /// </summary>
    public bool Collect()
    {
        lock (_lock)
        {
            foreach (var family in _ordered)
            {
                family.BeginCollection();
            }
        }

        _listener.RecordObservableInstruments();
        lock (_lock)
        {
            foreach (var family in _ordered)
            {
                _changed |= family.EndCollection();
            }

            return _changed;
        }
    }

    /// <summary>Collects the observable gauges, then renders every family.</summary>
    public string Render()
    {
        Collect();
        return RenderCollected();
    }

    /// <summary>Renders the values as last collected (see <see cref="Collect"/>).</summary>
    public string RenderCollected()
    {
        lock (_lock)
        {
            // One builder for every render, sample names built once per series.
            _text.Clear();
            foreach (var family in _ordered)
            {
                family.Render(_text);
            }

            _changed = false;
            return _text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private sealed class Family
    {
        private readonly MetricFamily _definition;
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly List<(string Key, string[] Values)> _combinations = [];
        private readonly Dictionary<string, string[]> _prefixes = new(StringComparer.Ordinal);
        private readonly List<Series> _seriesList = [];

        public Family(MetricFamily definition)
        {
            _definition = definition;
            foreach (var values in definition.Combinations())
            {
                var key = Key(values);
                _combinations.Add((key, values));
                var series = new Series(definition.Buckets?.Count ?? 0);
                _series[key] = series;
                _seriesList.Add(series);
            }
        }

        /// <summary>Gauges not observed in a collection read 0 (a state with no nodes, say).</summary>
        public void BeginCollection()
        {
            if (_definition.Type == MetricType.Gauge)
            {
                foreach (var series in _seriesList)
                {
                    series.Observed = 0;
                }
            }
        }

        /// <summary>Takes the gauges' observed values; true when one differs from before.</summary>
        public bool EndCollection()
        {
            var changed = false;
            if (_definition.Type == MetricType.Gauge)
            {
                foreach (var series in _seriesList)
                {
                    if (series.Value != series.Observed)
                    {
                        series.Value = series.Observed;
                        changed = true;
                    }
                }
            }

            return changed;
        }

        public void Add(MetricsCollector owner, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = _definition.Labels;
            var found = labels.Count == 0 ? [] : new string?[labels.Count];
            foreach (var tag in tags)
            {
                for (var i = 0; i < labels.Count; i++)
                {
                    if (string.Equals(labels[i].Name, tag.Key, StringComparison.Ordinal))
                    {
                        found[i] = tag.Value as string;
                    }
                }
            }

            lock (owner._lock)
            {
                if (tags.Length != labels.Count || Array.IndexOf(found, null) >= 0 || !_series.TryGetValue(Key(found), out var series))
                {
                    owner.Rejected++;
                    return;
                }

                switch (_definition.Type)
                {
                    case MetricType.Counter:
                        series.Value += value;
                        owner._changed |= value != 0;
                        break;
                    case MetricType.Gauge:
                        // Compared with the exported value at the end of the collection.
                        series.Observed = value;
                        break;
                    default:
                        series.Observe(value, _definition.Buckets!);
                        owner._changed = true;
                        break;
                }
            }
        }

        public void Render(StringBuilder text)
        {
            var name = _definition.Name;
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(_definition.Help)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(_definition.Type switch
            {
                MetricType.Counter => "counter",
                MetricType.Gauge => "gauge",
                _ => "histogram",
            }).Append('\n');

            foreach (var (key, values) in _combinations)
            {
                var series = _series[key];
                var prefixes = Prefixes(key, values);
                if (_definition.Type != MetricType.Histogram)
                {
                    Sample(text, prefixes[0], series.Value);
                    continue;
                }

                var buckets = series.BucketCounts;
                for (var i = 0; i < buckets.Length; i++)
                {
                    Sample(text, prefixes[i], buckets[i]);
                }

                Sample(text, prefixes[buckets.Length], series.Count);
                Sample(text, prefixes[buckets.Length + 1], series.Value);
                Sample(text, prefixes[buckets.Length + 2], series.Count);
            }
        }

        /// <summary>One sample line, the number formatted straight into the builder (no string per value).</summary>
        private static void Sample(StringBuilder text, string prefix, double value)
        {
            text.Append(prefix);
            if (double.IsPositiveInfinity(value))
            {
                text.Append("+Inf");
            }
            else if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
            {
                text.Append((long)value);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"{value}");
            }

            text.Append('\n');
        }

        /// <summary>The sample names with labels and the trailing space, built once per series.</summary>
        private string[] Prefixes(string key, string[] values)
        {
            if (_prefixes.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var name = _definition.Name;
            var labels = Labels(values);
            string[] built;
            if (_definition.Type != MetricType.Histogram)
            {
                built = [name + Braced(labels) + " "];
            }
            else
            {
                var buckets = _definition.Buckets!;
                var list = buckets.Select(b => name + "_bucket" + Braced(Join(labels, $"le=\"{Number(b)}\"")) + " ").ToList();
                list.Add(name + "_bucket" + Braced(Join(labels, "le=\"+Inf\"")) + " ");
                list.Add(name + "_sum" + Braced(labels) + " ");
                list.Add(name + "_count" + Braced(labels) + " ");
                built = [.. list];
            }

            _prefixes[key] = built;
            return built;
        }

        /// <summary>The series key of a label combination (no allocation for one label or none).</summary>
        private static string Key(string?[] values) => values.Length switch
        {
            0 => string.Empty,
            1 => values[0]!,
            _ => string.Join('\u0001', values),
        };

        private string Labels(string[] values)
        {
            var parts = new string[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                parts[i] = $"{_definition.Labels[i].Name}=\"{EscapeLabel(values[i])}\"";
            }

            return string.Join(',', parts);
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string Braced(string labels) => labels.Length == 0 ? string.Empty : "{" + labels + "}";
    }

    private sealed class Series(int buckets)
    {
        public double Value { get; set; }

        /// <summary>A gauge's value as read in the running collection.</summary>
        public double Observed { get; set; }

        public long Count { get; private set; }

        public long[] BucketCounts { get; } = new long[buckets];

        public void Observe(double value, IReadOnlyList<double> bounds)
        {
            Value += value;
            Count++;
            for (var i = 0; i < bounds.Count; i++)
            {
                if (value <= bounds[i])
                {
                    BucketCounts[i]++;
                }
            }
        }
    }

    internal static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString(CultureInfo.InvariantCulture);

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
