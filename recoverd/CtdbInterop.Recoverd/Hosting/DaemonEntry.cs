using CtdbInterop.Recoverd.Configuration;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Native;
using CtdbInterop.Recoverd.Signals;

namespace CtdbInterop.Recoverd.Hosting;

/// <summary>The process entry: identity and logging first, then <see cref="DaemonHost"/>.</summary>
internal static class DaemonEntry
{
    /// <summary>Must be called on the main thread (its name is the process's comm).</summary>
    public static async Task<int> RunAsync(Func<IServiceProvider, IRecoveryLoop> loopFactory)
    {
        ProcessIdentity.SetThreadName(ProcessIdentity.ThreadName);
        StandardDescriptors.EnsureOpen();

        var environment = CtdbEnvironment.FromProcess();
        using var log = CtdbLogFactory.Create(environment);
        return await DaemonHost.RunAsync(environment, log, loopFactory).ConfigureAwait(false);
    }
}
