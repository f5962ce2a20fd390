using System.Net.Sockets;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Integration.Tests.Fixtures;

namespace CtdbInterop.Integration.Tests.Bug16082;

/// <summary>
/// Reads recovery mode, vnn-map generation and node map from every ctdbd of a cluster over
/// the client bindings: cheap enough to poll every 100 ms, and every call is bounded, so a
/// paused or dead ctdbd just yields "no answer" (null).
/// </summary>
internal sealed class ClusterProbe(LocalCluster cluster) : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(1);
    private readonly CtdbClient?[] _clients = new CtdbClient?[cluster.NodeCount];

    public async Task<NodeView?> TryViewAsync(int node)
    {
        var client = await TryClientAsync(node).ConfigureAwait(false);
        if (client is null)
        {
            return null;
        }

        try
        {
            var mode = client.ControlAsync(Controls.GetRecmode(CtdbConstants.CurrentNode), Controls.ParseGetRecmode, CallTimeout);
            var vnn = client.ControlAsync(Controls.GetVnnmap(CtdbConstants.CurrentNode), Controls.ParseGetVnnmap, CallTimeout);
            var map = client.ControlAsync(Controls.GetNodemap(CtdbConstants.CurrentNode), Controls.ParseGetNodemap, CallTimeout);
            return new NodeView(node, await mode.ConfigureAwait(false), (await vnn.ConfigureAwait(false)).Generation, await map.ConfigureAwait(false));
        }
        catch (Exception e) when (IsNoAnswer(e))
        {
            await ForgetIfLostAsync(node).ConfigureAwait(false);
            return null;
        }
    }

    public async Task<IReadOnlyList<NodeView?>> TryViewAllAsync(IEnumerable<int> nodes) =>
        await Task.WhenAll(nodes.Select(TryViewAsync)).ConfigureAwait(false);

    /// <summary>Time since this ctdbd last finished a recovery, by its own clock; null without an answer.</summary>
    public async Task<TimeSpan?> TrySinceLastRecoveryAsync(int node)
    {
        var client = await TryClientAsync(node).ConfigureAwait(false);
        if (client is null)
        {
            return null;
        }

        try
        {
            var uptime = await client.ControlAsync(Controls.Uptime(CtdbConstants.CurrentNode), Controls.ParseUptime, CallTimeout).ConfigureAwait(false);
            return uptime.CurrentTime.ToDateTimeOffset() - uptime.LastRecoveryFinished.ToDateTimeOffset();
        }
        catch (Exception e) when (IsNoAnswer(e))
        {
            await ForgetIfLostAsync(node).ConfigureAwait(false);
            return null;
        }
    }

    public async Task<TunableList> TunablesAsync(int node)
    {
        var client = await TryClientAsync(node).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"cannot connect to ctdbd of node {node}");
        return await client.ControlAsync(Controls.GetAllTunables(CtdbConstants.CurrentNode), Controls.ParseGetAllTunables, CallTimeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        for (var node = 0; node < _clients.Length; node++)
        {
            await ForgetAsync(node).ConfigureAwait(false);
        }
    }

    private async Task<CtdbClient?> TryClientAsync(int node)
    {
        if (_clients[node] is { IsConnected: true } client)
        {
            return client;
        }

        await ForgetAsync(node).ConfigureAwait(false);
        try
        {
            _clients[node] = await CtdbClient.ConnectAsync(cluster.SocketPath(node), new CtdbClientOptions { ConnectTimeout = CallTimeout }).ConfigureAwait(false);
            return _clients[node];
        }
        catch (Exception e) when (e is SocketException or TimeoutException or IOException)
        {
            return null;
        }
    }

    private async Task ForgetIfLostAsync(int node)
    {
        if (_clients[node] is { IsConnected: false })
        {
            await ForgetAsync(node).ConfigureAwait(false);
        }
    }

    private async Task ForgetAsync(int node)
    {
        if (_clients[node] is { } client)
        {
            _clients[node] = null;
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool IsNoAnswer(Exception e) =>
        e is TimeoutException or CtdbConnectionLostException or CtdbControlException or SocketException or IOException;
}
