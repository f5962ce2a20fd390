using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Core.Domain;

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

/// <summary>B42-B44: the local interfaces, the available public IPs and (outside test mode) all known ones.</summary>
internal readonly record struct IpStateReads(
    FetchResult<IfaceList> Interfaces,
    FetchResult<PublicIpList> Available,
    FetchResult<PublicIpList>? Known);

/// <summary>
/// A read as the decision core sees it: a value, or "failed" (time-outs, refusals and
/// unusable replies alike). A lost connection is not a failed read: it ends the loop.
/// </summary>
internal static class Reads
{
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

    public static async Task<IReadOnlyDictionary<uint, FetchResult<T>>> FetchManyAsync<T>(IEnumerable<uint> nodes, Func<uint, Task<T>> read)
    {
        var reads = nodes.Select(async pnn => (pnn, await FetchAsync(() => read(pnn)))).ToList();
        var results = await Task.WhenAll(reads);
        return results.ToDictionary(r => r.pnn, r => r.Item2);
    }

    /// <summary>One outcome of a control round, parsed; rethrows what is not a failed read.</summary>
    public static FetchResult<T> From<T>(NodeControlResult result, Func<ControlReply, T> parse)
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
            return Fetch.Ok(parse(result.Reply!));
        }
        catch (Exception e) when (IsFailedRead(e))
        {
            return Fetch.Failed<T>();
        }
    }

    /// <summary>
    /// The same reads for a gateway that sends controls one by one (the simulator's): they
    /// go out together all the same, and each fails on its own.
    /// </summary>
    public static async Task<LocalStateReads> LocalStateOneByOneAsync(ICtdbdGateway gateway, uint ownPnn, CancellationToken ct)
    {
        var pinged = (await FetchAsync(async () =>
        {
            await gateway.RecdPingAsync(ct);
            return true;
        })).Succeeded;
        var level = FetchAsync(() => gateway.GetDebugLevelAsync(ct));
        var tunables = FetchAsync(() => gateway.GetTunablesAsync(ct));
        var runstate = FetchAsync(() => gateway.GetRunstateAsync(ct));
        var map = FetchAsync(() => gateway.GetNodeMapAsync(ownPnn, ct));
        var mode = FetchAsync(() => gateway.GetRecoveryModeAsync(CtdbConstants.CurrentNode, ct));
        await Task.WhenAll(level, tunables, runstate, map, mode);
        return new LocalStateReads(pinged, await level, await tunables, await runstate, await map, await mode);
    }

    /// <inheritdoc cref="LocalStateOneByOneAsync"/>
    public static async Task<LeaderStateReads> LeaderStateOneByOneAsync(ICtdbdGateway gateway, LeaderReadTargets targets, CancellationToken ct)
    {
        var maps = FetchManyAsync(targets.ConnectedOthers, pnn => gateway.GetNodeMapAsync(pnn, ct));
        var localVnn = FetchAsync(() => gateway.GetVnnMapAsync(targets.OwnPnn, ct));
        var modes = FetchManyAsync(targets.ActiveNodes, pnn => gateway.GetRecoveryModeAsync(pnn, ct));
        var remoteVnn = FetchManyAsync(targets.ActiveOthers, pnn => gateway.GetVnnMapAsync(pnn, ct));
        await Task.WhenAll(maps, localVnn, modes, remoteVnn);
        return new LeaderStateReads(await maps, await localVnn, await modes, await remoteVnn);
    }

    /// <inheritdoc cref="LocalStateOneByOneAsync"/>
    public static async Task<IpStateReads> IpStateOneByOneAsync(ICtdbdGateway gateway, bool includeKnown, CancellationToken ct)
    {
        var interfaces = FetchAsync(() => gateway.GetInterfacesAsync(ct));
        var available = FetchAsync(() => gateway.GetPublicIpsAsync(availableOnly: true, ct));
        var known = includeKnown ? FetchAsync(() => gateway.GetPublicIpsAsync(availableOnly: false, ct)) : null;
        return new IpStateReads(await interfaces, await available, known is null ? null : await known);
    }

    private static bool IsFailedRead(Exception e) =>
        e is CtdbControlException or CtdbControlTimeoutException or CtdbProtocolException;
}

/// <summary>Whom the leader's reads go to (B27-B33).</summary>
internal sealed record LeaderReadTargets(uint OwnPnn, IReadOnlyList<uint> ConnectedOthers, IReadOnlyList<uint> ActiveNodes, IReadOnlyList<uint> ActiveOthers);
