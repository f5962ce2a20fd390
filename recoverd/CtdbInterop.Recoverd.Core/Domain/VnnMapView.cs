namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>A vnn map (GETVNNMAP): the database generation and the lmaster PNNs.</summary>
public sealed class VnnMapView : IEquatable<VnnMapView>
{
    public VnnMapView(uint generation, IReadOnlyList<uint> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        Generation = generation;
        Map = map.ToArray();
    }

    public uint Generation { get; }

    public IReadOnlyList<uint> Map { get; }

    public int Size => Map.Count;

    public bool Equals(VnnMapView? other) =>
        other is not null && Generation == other.Generation && Map.SequenceEqual(other.Map);

    public override bool Equals(object? obj) => Equals(obj as VnnMapView);

    public override int GetHashCode() => HashCode.Combine(Generation, Map.Count);

    public override string ToString() => $"generation {Generation} [{string.Join(", ", Map)}]";
}
