using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>
/// B24's capabilities round as the decision core takes it: every node's capabilities, or null
/// when one node's read failed (all or nothing). The nodes answer the same every second, so the
/// same answer returns the dictionary built last time instead of two new ones (issue 7, idle
/// CPU). The core never changes the dictionary it is given.
/// </summary>
internal sealed class AnsweredCapabilities
{
    private Dictionary<uint, CtdbCapabilities>? _last;

    /// <param name="results">One outcome per node.</param>
    /// <param name="parse">A node's capabilities, or null when its read failed.</param>
    public IReadOnlyDictionary<uint, CtdbCapabilities>? From(IReadOnlyList<NodeControlResult> results, Func<NodeControlResult, CtdbCapabilities?> parse)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(parse);
        if (_last is { } last && last.Count == results.Count && SameAs(last, results, parse))
        {
            return last;
        }

        var all = new Dictionary<uint, CtdbCapabilities>(results.Count);
        foreach (var result in results)
        {
            if (parse(result) is not { } capabilities)
            {
                return null;
            }

            all[result.Pnn] = capabilities;
        }

        _last = all;
        return all;
    }

    private static bool SameAs(Dictionary<uint, CtdbCapabilities> last, IReadOnlyList<NodeControlResult> results, Func<NodeControlResult, CtdbCapabilities?> parse)
    {
        for (var i = 0; i < results.Count; i++)
        {
            if (parse(results[i]) is not { } capabilities || !last.TryGetValue(results[i].Pnn, out var had) || had != capabilities)
            {
                return false;
            }
        }

        return true;
    }
}
