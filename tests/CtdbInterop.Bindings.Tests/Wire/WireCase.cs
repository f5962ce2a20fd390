using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>One wire type, seen through object so one test can cover them all.</summary>
public abstract class WireCase
{
    protected WireCase(string name, int? countOffset, int elementSize)
    {
        Name = name;
        CountOffset = countOffset;
        ElementSize = elementSize;
    }

    public string Name { get; }

    /// <summary>Offset of the element count (u32) for list types, else null.</summary>
    public int? CountOffset { get; }

    public int ElementSize { get; }

    public abstract object Random(Random rng);

    /// <summary>A random value that has at least one element (lists) - every byte matters.</summary>
    public object NonEmpty(Random rng)
    {
        while (true)
        {
            var value = Random(rng);
            if (CountOffset is not { } offset || Encode(value).Length > offset + 4)
            {
                return value;
            }
        }
    }

    public abstract byte[] Encode(object value);

    public abstract int Length(object value);

    public abstract object Pull(byte[] data, out int consumed);

    public abstract object DecodeExact(byte[] data);

    public override string ToString() => Name;
}

public sealed class WireCase<T> : WireCase
    where T : IWireType<T>
{
    private readonly Func<Random, T> random;

    public WireCase(string name, Func<Random, T> random, int? countOffset = null, int elementSize = 0)
        : base(name, countOffset, elementSize) => this.random = random;

    public override object Random(Random rng) => random(rng);

    public override byte[] Encode(object value) => WireType.Encode((T)value);

    public override int Length(object value) => ((T)value).WireLength;

    public override object Pull(byte[] data, out int consumed) => T.Pull(data, out consumed);

    public override object DecodeExact(byte[] data) => WireType.Decode<T>(data, Name);
}

internal static class WireCases
{
    public static IEnumerable<WireCase> All() =>
    [
        new WireCase<NodeAndFlags>("NodeAndFlags", Gen.NodeAndFlags),
        new WireCase<NodeMap>("NodeMap", Gen.NodeMap, 0, NodeAndFlags.Size),
        new WireCase<VnnMap>("VnnMap", Gen.VnnMap, 4, 4),
        new WireCase<DbId>("DbId", Gen.DbId),
        new WireCase<DbIdMap>("DbIdMap", Gen.DbIdMap, 0, DbId.Size),
        new WireCase<TunableList>("TunableList", Gen.TunableList),
        new WireCase<NodeFlagChange>("NodeFlagChange", Gen.NodeFlagChange),
        new WireCase<BanState>("BanState", Gen.BanState),
        new WireCase<PublicIp>("PublicIp", Gen.PublicIp),
        new WireCase<PublicIpList>("PublicIpList", Gen.PublicIpList, 0, PublicIp.Size),
        new WireCase<Iface>("Iface", Gen.Iface),
        new WireCase<IfaceList>("IfaceList", Gen.IfaceList, 0, Iface.Size),
        new WireCase<SrvidMessage>("SrvidMessage", Gen.SrvidMessage),
        new WireCase<DisableMessage>("DisableMessage", Gen.DisableMessage),
        new WireCase<ElectionMessage>("ElectionMessage", Gen.ElectionMessage),
        new WireCase<Uptime>("Uptime", Gen.Uptime),
    ];
}
