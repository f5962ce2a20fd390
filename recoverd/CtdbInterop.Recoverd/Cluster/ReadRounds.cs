using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Takeover;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>B12's recd ping, then B16-B19 and B21's first read: the local state every iteration starts from.</summary>
internal readonly record struct LocalStateReads(
    bool Pinged,
    FetchResult<int> DebugLevel,
    FetchResult<RecdTunables> Tunables,
    FetchResult<CtdbRunstate> Runstate,
    FetchResult<NodeMapView> NodeMap,
    FetchResult<CtdbRecoveryMode> RecoveryMode);

/// <summary>B27-B33: what the leader reads from the cluster every iteration.</summary>
internal sealed record LeaderStateReads(
    IReadOnlyDictionary<uint, FetchResult<NodeMapView>> RemoteNodeMaps,
    FetchResult<VnnMapView> LocalVnnMap,
    IReadOnlyDictionary<uint, FetchResult<CtdbRecoveryMode>> RecoveryModes,
    IReadOnlyDictionary<uint, FetchResult<VnnMapView>> RemoteVnnMaps);

/// <summary>
/// B42-B44: the local interfaces and the available public IPs, as the core takes them, and
/// (outside test mode) all known public IPs, which are checked against the host's addresses.
/// </summary>
internal readonly record struct IpStateReads(
    FetchResult<IReadOnlyList<InterfaceInfo>> Interfaces,
    FetchResult<IReadOnlyList<PublicIpView>> Available,
    FetchResult<PublicIpList>? Known);

/// <summary>
/// A read as the decision core sees it: a value, or "failed" (time-outs, refusals and
/// unusable replies alike). A lost connection is not a failed read: it ends the loop.
/// </summary>
internal static class Reads
{
    /// <summary>One control sent alone, as a read.</summary>
    public static async Task<FetchResult<T>> FetchAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return Fetch.Ok(await read());
        }
        catch (CtdbConnectionLostException)
        {
            throw;
        }
        catch (Exception e) when (IsFailedRead(e))
        {
            return Fetch.Failed<T>();
        }
    }

    /// <summary>One outcome of a control round, parsed; rethrows what is not a failed read.</summary>
    public static FetchResult<T> From<T>(NodeControlResult result, Func<ControlReply, T> parse) =>
        From(result, parse, static (parse, reply) => parse(reply));

    /// <summary>
    /// One outcome parsed through the last reply of its kind: a reply that repeats it gives the
    /// last value again (see <see cref="RepeatedReply{T}"/>).
    /// </summary>
    public static FetchResult<T> From<T>(NodeControlResult result, RepeatedReply<T> last, Func<ControlReply, T> parse) =>
        From(result, (last, parse), static (state, reply) => state.last.Parse(reply, state.parse));

    // The parse's inputs are passed in, not captured: a capturing lambda is a new delegate on
    // every call, and these run several times an iteration (issue 7, idle allocations).
    private static FetchResult<T> From<TState, T>(NodeControlResult result, TState state, Func<TState, ControlReply, T> parse)
    {
        if (result.Error is { } error)
        {
            if (IsFailedRead(error))
            {
                return Fetch.Failed<T>();
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        try
        {
            return Fetch.Ok(parse(state, result.Reply!));
        }
        catch (Exception e) when (IsFailedRead(e))
        {
            return Fetch.Failed<T>();
        }
    }

    private static bool IsFailedRead(Exception e) =>
        e is CtdbControlException or CtdbControlTimeoutException or CtdbProtocolException;
}

/// <summary>Whom the leader's reads go to (B27-B33).</summary>
internal sealed record LeaderReadTargets(uint OwnPnn, IReadOnlyList<uint> ConnectedOthers, IReadOnlyList<uint> ActiveNodes, IReadOnlyList<uint> ActiveOthers);
