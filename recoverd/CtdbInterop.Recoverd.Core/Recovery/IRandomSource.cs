namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>Injected randomness (new database generations), so runs can be replayed.</summary>
public interface IRandomSource
{
    /// <summary>A value in 0 … 2^31−1, like <c>random()</c>.</summary>
    uint NextGenerationCandidate();
}

/// <summary>A deterministic source from a seed (tests, the simulator; the daemon may seed from PID and time as the C daemon does).</summary>
public sealed class SeededRandomSource(int seed) : IRandomSource
{
#pragma warning disable CA5394 // Not security relevant: generation numbers only need to differ.
    private readonly Random _random = new(seed);

    public uint NextGenerationCandidate() => (uint)_random.Next();
#pragma warning restore CA5394
}
