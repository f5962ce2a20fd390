using System.Collections.Immutable;
using System.Net;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>Seeded random values of every wire type, for round-trip and fuzz tests.</summary>
internal static class Gen
{
    public const int Instances = 200;

    public static uint UInt32(Random rng) => (uint)rng.NextInt64(0, 1L << 32);

    public static ulong UInt64(Random rng) => ((ulong)UInt32(rng) << 32) | UInt32(rng);

    public static long Int64(Random rng) => (long)UInt64(rng);

    public static byte[] Bytes(Random rng, int maxLength)
    {
        var bytes = new byte[rng.Next(0, maxLength + 1)];
        rng.NextBytes(bytes);
        return bytes;
    }

    public static IPEndPoint EndPoint(Random rng)
    {
        var port = rng.Next(0, 65536);
        if (rng.Next(2) == 0)
        {
            var v4 = new byte[4];
            rng.NextBytes(v4);
            return new IPEndPoint(new IPAddress(v4), port);
        }

        var v6 = new byte[16];
        rng.NextBytes(v6);
        return new IPEndPoint(new IPAddress(v6, UInt32(rng)), port);
    }

    public static ImmutableArray<T> List<T>(Random rng, Func<Random, T> element, int max = 12)
    {
        var count = rng.Next(0, max + 1);
        var builder = ImmutableArray.CreateBuilder<T>(count);
        for (var i = 0; i < count; i++)
        {
            builder.Add(element(rng));
        }

        return builder.MoveToImmutable();
    }

    public static NodeAndFlags NodeAndFlags(Random rng) => new(UInt32(rng), (NodeFlags)UInt32(rng), EndPoint(rng));

    public static NodeMap NodeMap(Random rng) => new(List(rng, NodeAndFlags));

    public static VnnMap VnnMap(Random rng) => new(UInt32(rng), List(rng, UInt32, 40));

    public static DbId DbId(Random rng) => new(UInt32(rng), (CtdbDbFlags)rng.Next(256));

    public static DbIdMap DbIdMap(Random rng) => new(List(rng, DbId));

    public static PublicIp PublicIp(Random rng) => new(UInt32(rng), EndPoint(rng));

    public static PublicIpList PublicIpList(Random rng) => new(List(rng, PublicIp));

    public static Iface Iface(Random rng)
    {
        var name = new char[rng.Next(0, Bindings.Wire.Iface.NameSize)];
        for (var i = 0; i < name.Length; i++)
        {
            name[i] = (char)rng.Next('!', '~' + 1);
        }

        return new Iface(new string(name), (ushort)rng.Next(65536), UInt32(rng));
    }

    public static IfaceList IfaceList(Random rng) => new(List(rng, Iface));

    public static NodeFlagChange NodeFlagChange(Random rng) => new(UInt32(rng), (NodeFlags)UInt32(rng), (NodeFlags)UInt32(rng));

    public static BanState BanState(Random rng) => new(UInt32(rng), UInt32(rng));

    public static SrvidMessage SrvidMessage(Random rng) => new(UInt32(rng), UInt64(rng));

    public static DisableMessage DisableMessage(Random rng) => new(UInt32(rng), UInt64(rng), UInt32(rng));

    public static TimeVal TimeVal(Random rng) => new(Int64(rng), Int64(rng));

    public static ElectionMessage ElectionMessage(Random rng) => new(UInt32(rng), TimeVal(rng), UInt32(rng), (NodeFlags)UInt32(rng));

    public static Uptime Uptime(Random rng) => new(TimeVal(rng), TimeVal(rng), TimeVal(rng), TimeVal(rng));

    public static TunableList TunableList(Random rng)
    {
        // Random field values through the wire form; the field order itself is pinned by
        // WireLayoutTests, which builds a list property by property.
        var bytes = new byte[Bindings.Wire.TunableList.Size];
        rng.NextBytes(bytes);
        return Bindings.Wire.TunableList.Pull(bytes, out _);
    }
}
