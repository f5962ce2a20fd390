namespace CtdbInterop.Fuzz;

/// <summary>A property of the codec that must hold for every input; a violation is a crash.</summary>
internal static class Invariant
{
    public static void Holds(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"fuzz invariant violated: {what}");
        }
    }
}
