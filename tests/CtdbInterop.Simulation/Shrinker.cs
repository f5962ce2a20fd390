namespace CtdbInterop.Simulation;

/// <summary>
/// Shrinks a failing schedule: drops faults one at a time (and the final action) while the
/// same invariant still fails, so the timeline shows only what the failure needs.
/// </summary>
internal static class Shrinker
{
    public static ScheduleConfig Shrink(ScheduleConfig failing, string invariant, int maxRuns = 200)
    {
        var current = failing;
        var runs = 0;
        var progress = true;
        while (progress && runs < maxRuns)
        {
            progress = false;
            var candidates = Enumerable.Range(0, current.Faults.Count)
                .Select(i => current with { Faults = current.Faults.Where((_, j) => j != i).ToList() })
                .ToList();
            if (current.Final != FinalAction.None)
            {
                candidates.Insert(0, current with { Final = FinalAction.None });
            }

            foreach (var candidate in candidates)
            {
                runs++;
                if (Simulation.Run(candidate).Violation?.Invariant == invariant)
                {
                    current = candidate;
                    progress = true;
                    break;
                }

                if (runs >= maxRuns)
                {
                    break;
                }
            }
        }

        return current;
    }
}
