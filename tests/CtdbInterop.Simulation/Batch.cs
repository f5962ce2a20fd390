using System.Diagnostics;

namespace CtdbInterop.Simulation;

/// <summary>Totals of a batch of seeds.</summary>
internal sealed record BatchResult(int Schedules, TimeSpan Elapsed, IReadOnlyList<SimulationResult> Failures, long Steps, double VirtualSeconds, StockBehaviour Stock, TimeSpan? MaxResignation, TimeSpan? MaxLeaderAfterHeal)
{
    public double PerSecond => Schedules / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>Runs many seeds, one scheduler per worker thread (runs never share state).</summary>
internal static class Batch
{
    public static BatchResult Run(int firstSeed, int count, GenerationOptions? options = null, int threads = 0, int keepFailures = 50, Action<int>? progress = null)
    {
        threads = threads > 0 ? threads : Environment.ProcessorCount;
        var failures = new List<SimulationResult>();
        var next = firstSeed - 1;
        var end = firstSeed + count;
        long steps = 0;
        long virtualTicks = 0;
        var stock = default(StockBehaviour);
        var stockGate = new Lock();
        var done = 0;
        long maxResign = -1;
        long maxLeader = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            while (true)
            {
                var seed = Interlocked.Increment(ref next);
                if (seed >= end)
                {
                    return;
                }

                var result = Simulation.Run(ScheduleConfig.Generate(seed, options));
                Interlocked.Add(ref steps, result.Steps);
                Interlocked.Add(ref virtualTicks, result.VirtualTime.Ticks);
                lock (stockGate)
                {
                    stock += result.Stock;
                }

                if (result.ResignationLatency is { } r)
                {
                    InterlockedMax(ref maxResign, r.Ticks);
                }

                if (result.LeaderAfterHeal is { } l)
                {
                    InterlockedMax(ref maxLeader, l.Ticks);
                }

                if (result.Violation is not null)
                {
                    lock (failures)
                    {
                        if (failures.Count < keepFailures)
                        {
                            failures.Add(result);
                        }
                    }
                }

                var finished = Interlocked.Increment(ref done);
                progress?.Invoke(finished);
            }
        }, 16 * 1024 * 1024)
        {
            IsBackground = true,
        }).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return new BatchResult(
            count,
            clock.Elapsed,
            failures.OrderBy(f => f.Config.Seed).ToList(),
            steps,
            TimeSpan.FromTicks(virtualTicks).TotalSeconds,
            stock,
            maxResign < 0 ? null : TimeSpan.FromTicks(maxResign),
            maxLeader < 0 ? null : TimeSpan.FromTicks(maxLeader));
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
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
