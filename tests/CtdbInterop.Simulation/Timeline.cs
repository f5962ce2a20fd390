using System.Globalization;
using System.Text;

namespace CtdbInterop.Simulation;

/// <summary>What happened, by virtual time and node; recorded only when enabled (failing seeds are replayed with it on).</summary>
internal sealed class Timeline(bool enabled)
{
    private readonly List<(TimeSpan At, uint Node, string Text)> _events = [];

    public bool Enabled { get; } = enabled;

    public IReadOnlyList<(TimeSpan At, uint Node, string Text)> Events => _events;

    public void Add(TimeSpan at, uint node, string text)
    {
        if (Enabled)
        {
            _events.Add((at, node, text));
        }
    }

    public string Render(int maxLines = 4000)
    {
        var text = new StringBuilder();
        var start = Math.Max(0, _events.Count - maxLines);
        if (start > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"... {start} earlier events omitted\n");
        }

        for (var i = start; i < _events.Count; i++)
        {
            var (at, node, line) = _events[i];
            var who = node == uint.MaxValue ? "sim" : $"n{node}";
            text.Append(CultureInfo.InvariantCulture, $"{at.TotalSeconds,10:0.000}  {who,-4} {line}\n");
        }

        return text.ToString();
    }
}
