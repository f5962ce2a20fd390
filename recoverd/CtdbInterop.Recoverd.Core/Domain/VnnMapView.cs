namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>A vnn map (GETVNNMAP): the database generation and the lmaster PNNs.</summary>
public sealed class VnnMapView : IEquatable<VnnMapView>
{
    private readonly uint[] _map;

    public VnnMapView(uint generation, IReadOnlyList<uint> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        Generation = generation;
        _map = map.ToArray();
    }

    public uint Generation { get; }

    public IReadOnlyList<uint> Map => _map;

    public int Size => _map.Length;

    public bool Contains(uint pnn) => _map.AsSpan().Contains(pnn);

    /// <summary>The same lmasters in the same order (the generation aside).</summary>
    public bool HasSameMap(VnnMapView other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _map.AsSpan().SequenceEqual(other._map);
    }

    public bool Equals(VnnMapView? other) =>
        other is not null && Generation == other.Generation && HasSameMap(other);

    public override bool Equals(object? obj) => Equals(obj as VnnMapView);

    public override int GetHashCode() => HashCode.Combine(Generation, Map.Count);

    public override string ToString() => $"generation {Generation} [{string.Join(", ", Map)}]";
}
