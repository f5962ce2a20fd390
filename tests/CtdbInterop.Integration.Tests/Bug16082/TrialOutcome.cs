using System.Text;

namespace CtdbInterop.Integration.Tests.Bug16082;

/// <summary>What one trial saw: a timeline, the dmaster census, the fetch check, and what was wrong.</summary>
internal sealed class TrialOutcome(int number, LeaderDeactivation deactivation, DeactivationTiming timing)
{
    private readonly List<string> _timeline = [];
    private readonly List<string> _problems = [];

    public int Number => number;

    public int Leader { get; set; } = -1;

    public IReadOnlyList<DmasterCensus> Census { get; set; } = [];

    public FetchReport? Fetches { get; set; }

    public string? Diagnostics { get; set; }

    public IReadOnlyList<string> Problems => _problems;

    public bool Failed => _problems.Count > 0;

    public void Note(TimeSpan at, string what) => _timeline.Add($"  +{at.TotalSeconds,7:0.000} s  {what}");

    public void Problem(string what) => _problems.Add(what);

    public string Summary()
    {
        var text = new StringBuilder();
        text.AppendLine($"trial {number} ({deactivation}, {timing.ToString().ToLowerInvariant()} timing): leader {Leader}: {(Failed ? "FAILED" : "ok")}");
        foreach (var line in _timeline)
        {
            text.AppendLine(line);
        }

        foreach (var census in Census)
        {
            text.AppendLine($"  dmasters after the first recovery: {census}");
        }

        if (Fetches is not null)
        {
            text.AppendLine($"  fetches: {Fetches}");
        }

        foreach (var problem in _problems)
        {
            text.AppendLine($"  PROBLEM: {problem}");
        }

        return text.ToString();
    }
}
