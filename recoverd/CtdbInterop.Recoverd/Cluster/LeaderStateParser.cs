using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>
/// B27-B33's round (<see cref="IterationRequests.LeaderState"/>) parsed for the decision
/// core, with what earlier rounds answered: a node's reply that repeats its last one is not
/// parsed again, and a round that repeats the last one gives the last reads back.
/// </summary>
internal sealed class LeaderStateParser
{
    private readonly RepeatedReply<VnnMapView> _ownVnnMap = new();
    private readonly Dictionary<uint, RepeatedReply<NodeMapView>> _remoteNodeMaps = [];
    private readonly Dictionary<uint, RepeatedReply<VnnMapView>> _remoteVnnMaps = [];
    private LeaderStateReads? _last;

    /// <summary>
    /// One round's reads. An idle cluster answers the same every second, and the same answers
    /// give the last reads back instead of three new dictionaries (issue 7, idle allocations);
    /// the core never changes what it is given.
    /// </summary>
    public LeaderStateReads Parse(LeaderReadTargets targets, NodeControlResult[] results)
    {
        var last = _last;
        var next = 0;
        var maps = ByNode(
            results, ref next, targets.ConnectedOthers.Count, last?.RemoteNodeMaps, _remoteNodeMaps, static (replies, result) => ThroughLastReply(replies, result, CtdbdGateway.ParseNodeMap));
        var localVnn = Reads.From(results[next++], _ownVnnMap, CtdbdGateway.ParseVnnMap);
        var modes = ByNode(
            results, ref next, targets.ActiveNodes.Count, last?.RecoveryModes, Controls.ParseGetRecmode, static (parse, result) => Reads.From(result, parse));
        var remoteVnn = ByNode(
            results, ref next, targets.ActiveOthers.Count, last?.RemoteVnnMaps, _remoteVnnMaps, static (replies, result) => ThroughLastReply(replies, result, CtdbdGateway.ParseVnnMap));
        if (last is not null && ReferenceEquals(maps, last.RemoteNodeMaps) && localVnn == last.LocalVnnMap
            && ReferenceEquals(modes, last.RecoveryModes) && ReferenceEquals(remoteVnn, last.RemoteVnnMaps))
        {
            return last;
        }

        var reads = new LeaderStateReads(maps, localVnn, modes, remoteVnn);
        _last = reads;
        return reads;
    }

    /// <summary>
    /// The next <paramref name="count"/> outcomes by node, each taken by <paramref name="read"/>;
    /// <paramref name="previous"/> itself when it holds the same nodes with the same reads.
    /// </summary>
    private static IReadOnlyDictionary<uint, FetchResult<T>> ByNode<TState, T>(
        NodeControlResult[] results, ref int next, int count, IReadOnlyDictionary<uint, FetchResult<T>>? previous, TState state, Func<TState, NodeControlResult, FetchResult<T>> read)
    {
        var start = next;
        next += count;
        if (previous is not null && previous.Count == count && Repeats(previous, results.AsSpan(start, count), state, read))
        {
            return previous;
        }

        var byNode = new Dictionary<uint, FetchResult<T>>(count);
        for (var i = start; i < next; i++)
        {
            byNode[results[i].Pnn] = read(state, results[i]);
        }

        return byNode;
    }

    private static bool Repeats<TState, T>(
        IReadOnlyDictionary<uint, FetchResult<T>> previous, ReadOnlySpan<NodeControlResult> results, TState state, Func<TState, NodeControlResult, FetchResult<T>> read)
    {
        foreach (var result in results)
        {
            if (!previous.TryGetValue(result.Pnn, out var had) || had != read(state, result))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A node's outcome read through the last reply that node gave of this kind.</summary>
    private static FetchResult<T> ThroughLastReply<T>(Dictionary<uint, RepeatedReply<T>> lastReplies, NodeControlResult result, Func<ControlReply, T> parse)
    {
        if (!lastReplies.TryGetValue(result.Pnn, out var last))
        {
            last = new RepeatedReply<T>();
            lastReplies[result.Pnn] = last;
        }

        return Reads.From(result, last, parse);
    }
}
