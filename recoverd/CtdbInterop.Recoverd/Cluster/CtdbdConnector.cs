using CtdbInterop.Bindings.Client;
using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>Connects to ctdbd's Unix socket.</summary>
internal sealed class CtdbdConnector(string socketPath, CtdbLog log) : ICtdbdConnector
{
    public async Task<ICtdbdGateway> ConnectAsync(CancellationToken ct)
    {
        var client = await CtdbClient.ConnectAsync(socketPath, new CtdbClientOptions { Diagnostic = text => log.Error(text) }, ct).ConfigureAwait(false);
        return new CtdbdGateway(client);
    }
}
