using CtdbInterop.Recoverd.Core.Recovery;

namespace CtdbInterop.Recoverd.Tests.Support;

/// <summary>Yields the given values in order, then repeats the last one.</summary>
internal sealed class FixedRandom(params uint[] values) : IRandomSource
{
    private int _next;

    public int Draws => _next;

    public uint NextGenerationCandidate() => values[Math.Min(_next++, values.Length - 1)];
}
