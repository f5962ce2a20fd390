using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>B53 <c>new_generation()</c>: a random generation that is not <c>INVALID_GENERATION</c> (1).</summary>
public static class GenerationChooser
{
    private const int MaxDraws = 64;

    public static uint Next(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);

        // Bounded redraw: a broken source that only yields 1 still gets a valid generation.
        for (var i = 0; i < MaxDraws; i++)
        {
            var candidate = random.NextGenerationCandidate();
            if (candidate != CtdbConstants.InvalidGeneration)
            {
                return candidate;
            }
        }

        return CtdbConstants.InvalidGeneration + 1;
    }
}
