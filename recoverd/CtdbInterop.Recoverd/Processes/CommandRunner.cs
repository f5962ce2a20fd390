using System.Text;
using CtdbInterop.Recoverd.Native;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Processes;

/// <summary>Runs a short helper command (ctdb-config, ctdb-path) with a time limit and captures its output.</summary>
internal sealed class CommandRunner(ProcessSpawner spawner)
{
    /// <summary>Output beyond this many bytes per stream is read and discarded.</summary>
    public const int OutputLimit = 64 * 1024;

    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="path"/> with <paramref name="arguments"/> (argv[1..]) in the
    /// daemon's environment (plus <paramref name="extraEnvironment"/>). Never hangs: after <paramref name="timeout"/> the command is
    /// killed and the result says so. Throws <see cref="UnixException"/> if it cannot start.
    /// </summary>
    public async Task<CommandOutput> RunAsync(
        string path,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        IEnumerable<KeyValuePair<string, string>>? extraEnvironment = null)
    {
        var (stdoutRead, stdoutWrite) = UnixPipe.Create();
        var (stderrRead, stderrWrite) = UnixPipe.Create();
        using var stdoutReader = stdoutRead;
        using var stderrReader = stderrRead;
        ChildProcess child;
        using (stdoutWrite)
        using (stderrWrite)
        {
            child = spawner.Spawn(new SpawnRequest(
                path,
                [path, .. arguments],
                ChildEnvironment.Build(extraEnvironment),
                [new FdMapping(stdoutWrite, 1), new FdMapping(stderrWrite, 2)]));
        }

        using (child)
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            limit.CancelAfter(timeout);
            try
            {
                var stdout = ReadToEndAsync(stdoutReader, limit.Token);
                var stderr = ReadToEndAsync(stderrReader, limit.Token);
                await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
                await child.Exited.WaitAsync(limit.Token).ConfigureAwait(false);
                return new CommandOutput(await child.Exited.ConfigureAwait(false), await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), TimedOut: false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                child.Signal(LibC.SIGKILL);
                var reaped = await child.WaitForExitAsync(KillWait).ConfigureAwait(false);
                return new CommandOutput(reaped ? await child.Exited.ConfigureAwait(false) : ChildExitStatus.Unknown, string.Empty, string.Empty, TimedOut: true);
            }
            catch (OperationCanceledException)
            {
                child.Signal(LibC.SIGKILL);
                await child.WaitForExitAsync(KillWait).ConfigureAwait(false);
                throw;
            }
        }
    }

    private async Task<string> ReadToEndAsync(SafeFd fd, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        using var collected = new MemoryStream();
        while (true)
        {
            var n = UnixPipe.Read(fd, buffer);
            if (n == 0)
            {
                return Encoding.UTF8.GetString(collected.GetBuffer(), 0, (int)collected.Length);
            }

            if (n < 0)
            {
                await spawner.Reactor.WaitReadableAsync(fd, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var keep = Math.Min(n, OutputLimit - (int)collected.Length);
            if (keep > 0)
            {
                collected.Write(buffer, 0, keep);
            }
        }
    }
}
