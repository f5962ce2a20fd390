// Draws the recovery-related events of several nodes' ctdb logs on one time axis (SVG) with a
// numbered text listing beside it; scripts/timeline.sh builds and runs this file-based app.
//
//   timeline.cs [-o OUT.svg] [--listing OUT.txt] [--title TEXT] [--from TIME] [--to TIME] LOG...
//
// Reads ctdb's file log format ("<ISO time> node.N <program>[pid]: text"), keeps the lines of
// ctdb-recoverd (ours and stock) and ctdbd's stop/continue/ban lines, classifies them (leader
// changes, elections, recoveries with their causes, bans, takeover runs, lock events) and
// prints the listing to stdout.
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

var output = "timeline.svg";
string? listingPath = null;
var title = "ctdb timeline";
DateTimeOffset? from = null;
DateTimeOffset? to = null;
var logs = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "-o" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--listing" when i + 1 < args.Length:
            listingPath = args[++i];
            break;
        case "--title" when i + 1 < args.Length:
            title = args[++i];
            break;
        case "--from" when i + 1 < args.Length:
            from = DateTimeOffset.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--to" when i + 1 < args.Length:
            to = DateTimeOffset.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            logs.Add(args[i]);
            break;
    }
}

if (logs.Count == 0)
{
    await Console.Error.WriteLineAsync("usage: timeline.sh [-o OUT.svg] [--listing OUT.txt] [--png OUT.png] [--title TEXT] [--from TIME] [--to TIME] LOG...");
    return 2;
}

var events = new List<TimelineEvent>();
foreach (var log in logs)
{
    foreach (var line in File.ReadLines(log))
    {
        if (TimelineEvent.TryParse(line) is { } parsed && (from is null || parsed.At >= from) && (to is null || parsed.At <= to))
        {
            events.Add(parsed);
        }
    }
}

events.Sort((a, b) => a.At.CompareTo(b.At));
if (events.Count == 0)
{
    await Console.Error.WriteLineAsync("timeline: no recovery-related events in the given logs");
    return 1;
}

var listing = Listing.Build(events);
await Console.Out.WriteAsync(listing);
if (listingPath is not null)
{
    await File.WriteAllTextAsync(listingPath, listing);
}

await File.WriteAllTextAsync(output, Svg.Render(events, title));
await Console.Error.WriteLineAsync($"timeline: {events.Count} events from {logs.Count} logs -> {output}");
return 0;

/// <summary>What an event is, for its colour and lane marker.</summary>
internal enum EventKind
{
    Admin,
    Election,
    Leader,
    Resign,
    Recovery,
    Refused,
    Ban,
    Takeover,
    Lock,
    Failure,
}

/// <summary>One classified log line.</summary>
internal sealed partial record TimelineEvent(DateTimeOffset At, string Node, EventKind Kind, string Text, string? Cause)
{
    private static readonly (string Prefix, EventKind Kind)[] Rules =
    [
        ("Stopping node", EventKind.Admin),
        ("Continue node", EventKind.Admin),
        ("Banning this node", EventKind.Ban),
        ("Leader broadcast timeout", EventKind.Election),
        ("Start election", EventKind.Election),
        ("Taking part in election", EventKind.Election),
        ("Election period ended", EventKind.Leader),
        ("Received leader broadcast", EventKind.Leader),
        ("Took cluster lock", EventKind.Leader),
        ("Resigning as leader", EventKind.Resign),
        ("Starting do_recovery", EventKind.Recovery),
        ("do_recovery: Starting do_recovery", EventKind.Recovery),
        ("Recovery initiated", EventKind.Recovery),
        ("do_recovery: Recovery initiated", EventKind.Recovery),
        ("Recovery complete", EventKind.Recovery),
        ("do_recovery: Recovery complete", EventKind.Recovery),
        ("Node:", EventKind.Recovery),
        ("Remote node", EventKind.Recovery),
        ("This node can no longer be leader", EventKind.Refused),
        ("do_recovery: This node can no longer be leader", EventKind.Refused),
        ("Leader changed to", EventKind.Refused),
        ("Banning node", EventKind.Ban),
        ("Node ", EventKind.Ban),
        ("Takeover run starting", EventKind.Takeover),
        ("Takeover run completed", EventKind.Takeover),
        ("Takeover run unsuccessful", EventKind.Failure),
        ("Cluster lock taken", EventKind.Lock),
        ("Cluster lock helper terminated", EventKind.Lock),
        ("Unable to take cluster lock", EventKind.Lock),
        ("Releasing cluster lock", EventKind.Lock),
        ("Recovery helper", EventKind.Failure),
        ("Takeover helper", EventKind.Failure),
    ];

    public static TimelineEvent? TryParse(string line)
    {
        var match = LogLine().Match(line);
        if (!match.Success ||
            !DateTimeOffset.TryParse(match.Groups["time"].Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return null;
        }

        var program = match.Groups["program"].Value;
        var text = match.Groups["text"].Value;
        if (program != "ctdb-recoverd" && program != "ctdbd")
        {
            return null;
        }

        foreach (var (prefix, kind) in Rules)
        {
            var ctdbdRule = prefix is "Stopping node" or "Continue node" or "Banning this node";
            if (!text.StartsWith(prefix, StringComparison.Ordinal) ||
                (program == "ctdbd") != ctdbdRule ||
                (prefix == "Node:" && !text.Contains("recovery mode", StringComparison.Ordinal)) ||
                (prefix == "Node " && !text.Contains("banning credits", StringComparison.Ordinal)) ||
                (prefix == "Remote node" && !text.Contains("different", StringComparison.Ordinal)))
            {
                continue;
            }

            var split = text.IndexOf(" (cause: ", StringComparison.Ordinal);
            return split < 0
                ? new TimelineEvent(at, match.Groups["node"].Value, kind, text, null)
                : new TimelineEvent(at, match.Groups["node"].Value, kind, text[..split], text[(split + 9)..^(text.EndsWith(')') ? 1 : 0)]);
        }

        return null;
    }

    [GeneratedRegex(@"^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+[+-]\d\d:\d\d) (?<node>\S+) (?<program>[\w-]+)\[\d+\]: (?<text>.*)$")]
    private static partial Regex LogLine();
}

/// <summary>The numbered text listing (the SVG shows the same numbers on its markers).</summary>
internal static class Listing
{
    public static string Build(IReadOnlyList<TimelineEvent> events)
    {
        var start = events[0].At;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# t=0 is {start:yyyy-MM-dd HH:mm:ss.ffffff zzz}\n");
        for (var i = 0; i < events.Count; i++)
        {
            text.Append(Line(i, events[i], start)).Append('\n');
        }

        return text.ToString();
    }

    public static string Line(int index, TimelineEvent e, DateTimeOffset start) =>
        string.Create(CultureInfo.InvariantCulture, $"{index + 1,3}  +{(e.At - start).TotalSeconds,8:0.000} s  {e.Node,-7} {e.Kind,-8} {e.Text}")
        + (e.Cause is null ? string.Empty : "\n" + new string(' ', 37) + "cause: " + e.Cause);
}

/// <summary>The picture: one lane per node, time to the right, numbered markers; the listing beside it.</summary>
internal static class Svg
{
    private const int LaneHeight = 96;
    private const int Left = 80;
    private const int PlotWidth = 620;
    private const int Top = 60;
    private const int ListingX = Left + PlotWidth + 40;
    private const int ListingLine = 15;

    private static readonly Dictionary<EventKind, string> Colours = new()
    {
        [EventKind.Admin] = "#444444",
        [EventKind.Election] = "#e08a00",
        [EventKind.Leader] = "#1f77b4",
        [EventKind.Resign] = "#9467bd",
        [EventKind.Recovery] = "#2ca02c",
        [EventKind.Refused] = "#d62728",
        [EventKind.Ban] = "#8c1c13",
        [EventKind.Takeover] = "#17becf",
        [EventKind.Lock] = "#7f7f7f",
        [EventKind.Failure] = "#d62728",
    };

    public static string Render(IReadOnlyList<TimelineEvent> events, string title)
    {
        var start = events[0].At;
        var span = Math.Max((events[^1].At - start).TotalSeconds, 0.001);
        var nodes = events.Select(e => e.Node).Distinct().Order(StringComparer.Ordinal).ToList();
        var listingLines = events.Sum(e => e.Cause is null ? 1 : 2);
        var plotHeight = Top + (nodes.Count * LaneHeight) + 60;
        var height = Math.Max(plotHeight + 40 + (Colours.Count * 16), Top + (listingLines * ListingLine) + 20);
        var width = ListingX + 1100;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"24\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"42\">t=0: {start:yyyy-MM-dd HH:mm:ss.fff zzz}, {span:0.000} s shown</text>\n");

        for (var n = 0; n < nodes.Count; n++)
        {
            var y = Top + (n * LaneHeight) + (LaneHeight * 3 / 4);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"{y + 4}\" font-weight=\"bold\">{Escape(nodes[n])}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y}\" x2=\"{Left + PlotWidth}\" y2=\"{y}\" stroke=\"#cccccc\"/>\n");
        }

        var axisY = Top + (nodes.Count * LaneHeight) + 10;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{axisY}\" x2=\"{Left + PlotWidth}\" y2=\"{axisY}\" stroke=\"black\"/>\n");
        var step = NiceStep(span);
        for (var t = 0.0; t <= span + 1e-9; t += step)
        {
            var x = Left + (t / span * PlotWidth);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"{axisY}\" x2=\"{x:0.#}\" y2=\"{axisY + 5}\" stroke=\"black\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{axisY + 18}\" text-anchor=\"middle\">{t:0.###} s</text>\n");
        }

        // Markers: stacked upwards within a lane when they would overlap.
        var lastX = new Dictionary<string, (double X, int Level)>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var lane = nodes.IndexOf(e.Node);
            var x = Left + ((e.At - start).TotalSeconds / span * PlotWidth);
            var level = lastX.TryGetValue(e.Node, out var previous) && x - previous.X < 14 ? (previous.Level + 1) % 5 : 0;
            lastX[e.Node] = (x, level);
            var y = Top + (lane * LaneHeight) + (LaneHeight * 3 / 4) - (level * 15);
            var colour = Colours[e.Kind];
            svg.Append(CultureInfo.InvariantCulture, $"<g><title>{Escape(Listing.Line(i, e, start))}</title>");
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x:0.#}\" cy=\"{y}\" r=\"7\" fill=\"{colour}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y + 3}\" text-anchor=\"middle\" font-size=\"8\" fill=\"white\">{i + 1}</text></g>\n");
        }

        var legendY = axisY + 40;
        foreach (var (kind, colour) in Colours)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Left + 6}\" cy=\"{legendY - 4}\" r=\"5\" fill=\"{colour}\"/><text x=\"{Left + 16}\" y=\"{legendY}\">{Legend(kind)}</text>\n");
            legendY += 16;
        }

        var lineY = Top;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var colour = Colours[e.Kind];
            var head = string.Create(CultureInfo.InvariantCulture, $"{i + 1,3} +{(e.At - start).TotalSeconds,7:0.000} s {e.Node,-7} {e.Text}");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{ListingX}\" y=\"{lineY}\" xml:space=\"preserve\" fill=\"{colour}\">{Escape(head)}</text>\n");
            lineY += ListingLine;
            if (e.Cause is { } cause)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{ListingX + 126}\" y=\"{lineY}\" xml:space=\"preserve\" fill=\"#555555\">cause: {Escape(cause)}</text>\n");
                lineY += ListingLine;
            }
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Legend(EventKind kind) => kind switch
    {
        EventKind.Admin => "administrator (ctdb stop/continue)",
        EventKind.Election => "election started / joined",
        EventKind.Leader => "leader change",
        EventKind.Resign => "resignation",
        EventKind.Recovery => "recovery (start, cause, end)",
        EventKind.Refused => "recovery refused / aborted",
        EventKind.Ban => "ban",
        EventKind.Takeover => "takeover run",
        EventKind.Lock => "cluster lock",
        _ => "helper / run failure",
    };

    private static double NiceStep(double span)
    {
        var raw = span / 8;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        return new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
