using System.Globalization;

namespace CtdbInterop.Integration.Tests.Bug16082;

/// <summary>
/// How many records of one node's local copy of a volatile database name each node as
/// dmaster, from <c>ctdb cattdb</c> (the tool traverses the node's tdb file itself, so this
/// works even while calls in the cluster hang). After a recovery every active node holds
/// every record, stamped with the dmaster the recovery chose.
/// </summary>
internal sealed record DmasterCensus(int Node, IReadOnlyDictionary<uint, int> RecordsByDmaster)
{
    private const string DmasterPrefix = "dmaster: ";

    public int Records => RecordsByDmaster.Values.Sum();

    public int RecordsOwnedBy(int node) => RecordsByDmaster.GetValueOrDefault((uint)node);

    public static DmasterCensus Parse(int node, string cattdbOutput)
    {
        var counts = new SortedDictionary<uint, int>();
        foreach (var line in cattdbOutput.Split('\n'))
        {
            if (line.StartsWith(DmasterPrefix, StringComparison.Ordinal))
            {
                var dmaster = uint.Parse(line.AsSpan(DmasterPrefix.Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                counts[dmaster] = counts.GetValueOrDefault(dmaster) + 1;
            }
        }

        return new DmasterCensus(node, counts);
    }

    public override string ToString() =>
        $"node {Node}: {Records} records, by dmaster: " +
        (RecordsByDmaster.Count == 0 ? "none" : string.Join(", ", RecordsByDmaster.Select(p => $"{p.Key}×{p.Value}")));
}
