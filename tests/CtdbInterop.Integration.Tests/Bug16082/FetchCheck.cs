using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CtdbInterop.Integration.Tests.Fixtures;

namespace CtdbInterop.Integration.Tests.Bug16082;

internal sealed record FetchFailure(int Node, string Key, string Reason)
{
    public override string ToString() => $"readkey {Key} on node {Node}: {Reason}";
}

internal sealed record FetchReport(int Planned, int Completed, IReadOnlyList<FetchFailure> Failures, TimeSpan Slowest, TimeSpan Elapsed)
{
    public bool AllCompleted => Failures.Count == 0 && Completed == Planned;

    public override string ToString() =>
        $"{Completed} of {Planned} fetches completed in bound (slowest {Slowest.TotalMilliseconds:0} ms, all {Elapsed.TotalSeconds:0.0} s), " +
        $"{Failures.Count} failed" + (Failures.Count == 0 ? "" : ": " + string.Join("; ", Failures.Take(5)));
}

/// <summary>
/// Fetches (<c>ctdb readkey</c>, a fetch-lock that migrates the record to the calling node)
/// every key from each given node, many at once, each bounded by <see cref="PerFetchBound"/>.
/// After the first failure no new fetch starts: one hung fetch already proves the point and
/// the rest would only spend the time budget.
/// </summary>
internal sealed class FetchCheck(CtdbTool tool, string database)
{
    /// <summary>A healthy local fetch takes tens of milliseconds; the bound leaves ample room for a loaded machine.</summary>
    public static readonly TimeSpan PerFetchBound = TimeSpan.FromSeconds(3);

    private const int InFlight = 12;
    private static readonly TimeSpan OverallBound = TimeSpan.FromSeconds(60);

    public async Task<FetchReport> RunAsync(IReadOnlyList<int> nodes, IReadOnlyCollection<string> keys)
    {
        var work = nodes.SelectMany(node => keys.Select(key => (Node: node, Key: key))).ToList();
        var failures = new ConcurrentQueue<FetchFailure>();
        var completed = 0;
        var slowestTicks = 0L;
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(OverallBound);
        using var gate = new SemaphoreSlim(InFlight);

        async Task FetchAsync((int Node, string Key) item)
        {
            await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                var failure = await FetchOneAsync(item.Node, item.Key).ConfigureAwait(false);
                if (failure is null)
                {
                    Interlocked.Increment(ref completed);
                }
                else
                {
                    failures.Enqueue(failure);
                    await stop.CancelAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                gate.Release();
            }

            // Only completion is checked, not the value: a record whose only copy was on the
            // inactive node is legitimately gone from a volatile database after the recovery
            // and comes back empty.
            async Task<FetchFailure?> FetchOneAsync(int node, string key)
            {
                var seconds = ((int)PerFetchBound.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                // -T makes the tool give up by itself; the process limit is only a backstop.
                var run = await tool.RunAsync(node, PerFetchBound + TimeSpan.FromSeconds(5), "-T", seconds, "readkey", database, key).ConfigureAwait(false);
                InterlockedMax(ref slowestTicks, run.Elapsed.Ticks);
                return !run.Succeeded || run.Elapsed > PerFetchBound
                    ? new FetchFailure(node, key, $"did not complete within {PerFetchBound.TotalSeconds:0} s ({run.Describe().ReplaceLineEndings(" ")})")
                    : !run.Result!.StandardOutput.StartsWith("Data: size:", StringComparison.Ordinal)
                        ? new FetchFailure(node, key, $"unexpected output '{run.Result.StandardOutput.Trim()}'")
                        : null;
            }
        }

        await Task.WhenAll(work.Select(FetchAsync)).ConfigureAwait(false);
        return new FetchReport(work.Count, completed, failures.ToList(), TimeSpan.FromTicks(slowestTicks), watch.Elapsed);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
