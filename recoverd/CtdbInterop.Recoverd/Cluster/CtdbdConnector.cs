using CtdbInterop.Bindings.Client;
using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>Connects to ctdbd's Unix socket.</summary>
internal sealed class CtdbdConnector(string socketPath, CtdbLog log) : ICtdbdConnector
{
    public async Task<ICtdbdGateway> ConnectAsync(CancellationToken ct)
    {
        var client = await CtdbClient.ConnectAsync(socketPath, new CtdbClientOptions
        {
            Diagnostic = text => log.Error(text),
            // Every await of the daemon resumes on its own thread (SingleThreadContext), so a
            // reply can complete on the socket thread and go straight there (issue 10).
            CompleteOnReaderThread = true,
        }, ct).ConfigureAwait(false);
        return new CtdbdGateway(client);
    }
}
