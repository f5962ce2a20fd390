using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>Fixed values encode to the exact bytes ctdb's C structures have (LP64, little endian).</summary>
[Description("recoverd-behaviours §4.2, §5, §7 mistake 1")]
public class WireLayoutTests
{
    private static readonly IPEndPoint Node1 = new(IPAddress.Parse("127.0.0.1"), CtdbConstants.Port);

    private static IEnumerable<TestCaseData> Layouts()
    {
        yield return Case("NodeFlagChange is pnn, NEW, OLD", new NodeFlagChange(7, NodeFlags.Banned, NodeFlags.Disconnected), "07000000 08000000 01000000");
        yield return Case("BanState", new BanState(2, 300), "02000000 2c010000");
        yield return Case("SrvidMessage pads 4 bytes after pnn", new SrvidMessage(3, 0xCE00000112345678), "03000000 00000000 78563412010000ce");
        yield return Case("DisableMessage pads after pnn and after timeout", new DisableMessage(1, 0x0102030405060708, 60), "01000000 00000000 0807060504030201 3c000000 00000000");
        yield return Case(
            "ElectionMessage: num_connected, pad, tv_sec, tv_usec, pnn, flags",
            new ElectionMessage(2, new TimeVal(0x6B076A2B, 0x4D72), 1, NodeFlags.Unhealthy),
            "02000000 00000000 2b6a076b00000000 724d000000000000 01000000 02000000");
        yield return Case(
            "NodeAndFlags with sockaddr_in, port in network order",
            new NodeAndFlags(1, NodeFlags.Disconnected | NodeFlags.Unhealthy, Node1),
            "01000000 03000000 0200 111b 7f000001 0000000000000000 000000000000000000000000");
        yield return Case(
            "NodeAndFlags with sockaddr_in6: flowinfo 0, address, scope id",
            new NodeAndFlags(0, 0, new IPEndPoint(new IPAddress(IPAddress.Parse("fd00::5357:5f01").GetAddressBytes(), 3), 4379)),
            "00000000 00000000 0a00 111b 00000000 fd000000000000000000000053575f01 03000000");
        yield return Case(
            "NodeMap: num then entries, no padding",
            new NodeMap([new NodeAndFlags(0, 0, Node1)]),
            "01000000 00000000 00000000 0200111b7f000001 0000000000000000 000000000000000000000000");
        yield return Case("VnnMap: generation, size, pnns", new VnnMap(0x0B5AA6FA, [0, 1, 2]), "faa65a0b 03000000 00000000 01000000 02000000");
        yield return Case("Empty VnnMap", new VnnMap(CtdbConstants.InvalidGeneration, []), "01000000 00000000");
        yield return Case(
            "DbIdMap: u8 flags then 3 pad bytes",
            new DbIdMap([new DbId(0xBF5D5373, CtdbDbFlags.Persistent), new DbId(0xC30E3965, 0)]),
            "02000000 73535dbf 01 000000 65390ec3 00 000000");
        yield return Case(
            "PublicIpList: pnn then sockaddr",
            new PublicIpList([new PublicIp(CtdbConstants.UnknownPnn, new IPEndPoint(IPAddress.Parse("127.0.100.3"), 0))]),
            "01000000 ffffffff 0200 0000 7f006403 0000000000000000 000000000000000000000000");
        yield return Case(
            "IfaceList: name[18], link_state u16, references u32",
            new IfaceList([new Iface("lo", 1, 2)]),
            "01000000 6c6f0000000000000000000000000000 0000 0100 02000000");
        yield return Case(
            "Uptime: four timevals",
            new Uptime(new TimeVal(1, 2), new TimeVal(3, 4), new TimeVal(5, 6), new TimeVal(7, 8)),
            "0100000000000000 0200000000000000 0300000000000000 0400000000000000 0500000000000000 0600000000000000 0700000000000000 0800000000000000");
    }

    [TestCaseSource(nameof(Layouts))]
    public void Encodes_to_the_C_layout(byte[] encoded, string expectedHex) =>
        Assert.That(Convert.ToHexStringLower(encoded), Is.EqualTo(expectedHex.Replace(" ", "", StringComparison.Ordinal)));

    [Test]
    public void Tunable_list_is_62_u32_in_protocol_h_order()
    {
        var bytes = WireType.Encode(TunableLayout.OffsetMarked);

        Assert.That(bytes, Has.Length.EqualTo(248));
        for (var offset = 0; offset < 248; offset += 4)
        {
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)), Is.EqualTo(0x1000 + offset), $"offset {offset}");
        }

        Assert.That(WireType.Decode<TunableList>(bytes, "tunables"), Is.EqualTo(TunableLayout.OffsetMarked));
    }

    [Test]
    public void Tunable_defaults_are_ctdbd_4_22_6s()
    {
        var d = TunableList.Defaults;
        Assert.Multiple(() =>
        {
            Assert.That(d.RecoverTimeout, Is.EqualTo(30));
            Assert.That(d.RecoverInterval, Is.EqualTo(1));
            Assert.That(d.ElectionTimeout, Is.EqualTo(3));
            Assert.That(d.RecoveryGracePeriod, Is.EqualTo(120));
            Assert.That(d.RecoveryBanPeriod, Is.EqualTo(300));
            Assert.That(d.RerecoveryTimeout, Is.EqualTo(10));
            Assert.That(d.RecdPingTimeout, Is.EqualTo(60));
            Assert.That(d.RecdPingFailcount, Is.EqualTo(10));
            Assert.That(d.MaxQueueDepthDropMsg, Is.EqualTo(1_000_000));
            Assert.That(d.DatabaseHashSize, Is.EqualTo(100_001));
        });
    }

    [Test]
    public void Iface_names_must_fit_17_bytes()
    {
        Assert.That(new Iface(new string('x', 17), 0, 0).Name, Has.Length.EqualTo(17));
        Assert.That(() => new Iface(new string('x', 18), 0, 0), Throws.ArgumentException);
        Assert.That(() => new Iface("a\0b", 0, 0), Throws.ArgumentException);
    }

    [Test]
    public void Iface_name_without_NUL_uses_17_bytes_like_ctdb()
    {
        var bytes = new byte[Iface.Size];
        bytes.AsSpan(0, 18).Fill((byte)'e');

        var iface = WireType.Decode<Iface>(bytes, "iface");

        Assert.That(iface.Name, Is.EqualTo(new string('e', 17)));
    }

    [Test]
    public void Time_values_convert_to_and_from_wall_clock()
    {
        var time = new DateTimeOffset(2026, 11, 25, 23, 7, 36, TimeSpan.Zero).AddTicks(123_456_0);
        var tv = TimeVal.FromDateTimeOffset(time);

        Assert.That(tv, Is.EqualTo(new TimeVal(time.ToUnixTimeSeconds(), 123_456)));
        Assert.That(tv.ToDateTimeOffset(), Is.EqualTo(time));
        Assert.That(TimeVal.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddTicks(-10)), Is.EqualTo(new TimeVal(-1, 999_999)));
    }

    private static TestCaseData Case<T>(string name, T value, string hex)
        where T : IWireType<T> =>
        new TestCaseData(WireType.Encode(value), hex).SetName(name);
}
