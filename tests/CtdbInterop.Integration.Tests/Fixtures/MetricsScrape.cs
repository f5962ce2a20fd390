using System.Globalization;

namespace CtdbInterop.Integration.Tests.Fixtures;

/// <summary>One node's Prometheus scrape, parsed: sample name with labels → value.</summary>
internal sealed class MetricsScrape
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    public MetricsScrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                _samples[line[..space]] = value;
            }
        }
    }

    public string Text { get; }

    public bool IsEmpty => _samples.Count == 0;

    /// <summary>The value of one sample (<c>name</c> or <c>name{label="value"}</c>), or null when absent.</summary>
    public double? this[string sample] => _samples.TryGetValue(sample, out var value) ? value : null;

    /// <summary>The sum over every label combination of <paramref name="name"/>.</summary>
    public double Sum(string name) =>
        _samples.Where(s => s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)).Sum(s => s.Value);
}
