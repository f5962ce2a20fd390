using System.Globalization;

namespace CtdbInterop.Simulation;

/// <summary>The command-line runner behind scripts/simulate.sh.</summary>
internal static class Runner
{
    public static int Run(string[] args)
    {
        var seeds = 1000;
        var start = 1;
        var threads = 0;
        int? nodes = null;
        int? replay = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--seeds":
                    seeds = int.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--start":
                    start = int.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--threads":
                    threads = int.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--nodes":
                    nodes = int.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--replay":
                    replay = int.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument {args[i]}; usage: --seeds N [--start S] [--nodes K] [--threads T] | --replay SEED [--nodes K]");
                    return 2;
            }
        }

        var options = nodes is { } k ? new GenerationOptions { MinNodes = k, MaxNodes = k } : new GenerationOptions();
        if (replay is { } seed)
        {
            var result = Simulation.Run(ScheduleConfig.Generate(seed, options), timeline: true);
            Console.WriteLine(result.Config.Describe());
            Console.WriteLine(result.Timeline);
            Console.WriteLine(result.Violation is { } v ? $"VIOLATION {v}" : $"ok: leader {Seconds(result.LeaderAfterHeal)} after heal, resignation {Seconds(result.ResignationLatency)}");
            return result.Violation is null ? 0 : 1;
        }

        var chunk = Math.Max(1, Math.Min(seeds, 5_000));
        var total = 0;
        var failures = new List<SimulationResult>();
        var elapsed = TimeSpan.Zero;
        double virtualSeconds = 0;
        long steps = 0;
        var stock = default(StockBehaviour);
        TimeSpan? maxResign = null;
        TimeSpan? maxLeader = null;
        for (var first = start; first < start + seeds; first += chunk)
        {
            var count = Math.Min(chunk, start + seeds - first);
            var batch = Batch.Run(first, count, options, threads);
            total += batch.Schedules;
            elapsed += batch.Elapsed;
            virtualSeconds += batch.VirtualSeconds;
            steps += batch.Steps;
            stock += batch.Stock;
            maxResign = Max(maxResign, batch.MaxResignation);
            maxLeader = Max(maxLeader, batch.MaxLeaderAfterHeal);
            failures.AddRange(batch.Failures);
            foreach (var failure in batch.Failures)
            {
                Console.WriteLine($"VIOLATION seed {failure.Config.Seed}: {failure.Violation}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{total} schedules, {failures.Count} violations, {total / elapsed.TotalSeconds:0.0} schedules/s, {virtualSeconds / total:0.0} virtual s and {steps / total} steps per schedule"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"done: {total} schedules in {elapsed.TotalSeconds:0.0} s ({total / elapsed.TotalSeconds:0.0}/s), {failures.Count} violations; {stock}; slowest leader after heal {Seconds(maxLeader)}, slowest hand-over after the leader was taken out {Seconds(maxResign)}"));
        return failures.Count == 0 ? 0 : 1;
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string Seconds(TimeSpan? t) => t is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.TotalSeconds:0.0} s") : "n/a";
}
