using CtdbInterop.Bindings.Client;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Threading;

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
            // On the daemon thread, the socket is read there too: no socket-engine thread
            // and no hand-off per reply (issue 7, idle CPU).
            Poller = SingleThreadContext.CurrentPoller,
            TimeoutClock = SingleThreadContext.TimersFor(TimeProvider.System),
        }, ct).ConfigureAwait(false);
        return new CtdbdGateway(client);
    }
}
