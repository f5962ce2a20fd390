using Microsoft.Extensions.Hosting;

namespace CtdbInterop.Recoverd.Hosting;

/// <summary>
/// Replaces the console lifetime: no "press Ctrl+C" banners on stderr (which ctdbd would log)
/// and no SIGTERM/SIGINT handling of its own; signals are the daemon's (SignalHandlers).
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
