using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>
/// The codec's sizes and bytes agree with the blittable structs the generator made from ctdb's
/// headers (whose own layout tests compare them with the C compiler's).
/// </summary>
public class GeneratedLayoutTests
{
    public static IEnumerable<TestCaseData> Sizes()
    {
        yield return Size("header", PacketHeader.Size, Unsafe.SizeOf<CtdbReqHeader>());
        yield return Size("control request fixed part", ControlRequest.FixedSize, CtdbReqControl.FixedSize);
        yield return Size("control reply fixed part", ControlReply.FixedSize, CtdbReplyControl.FixedSize);
        yield return Size("message fixed part", MessagePacket.FixedSize, CtdbReqMessage.FixedSize);
        yield return Size("sock addr", SockAddr.Size, Unsafe.SizeOf<CtdbSockAddr>());
        yield return Size("node and flags", NodeAndFlags.Size, Unsafe.SizeOf<CtdbNodeAndFlags>());
        yield return Size("dbid", DbId.Size, Unsafe.SizeOf<CtdbDbid>());
        yield return Size("public ip", PublicIp.Size, Unsafe.SizeOf<CtdbPublicIp>());
        yield return Size("iface", Iface.Size, Unsafe.SizeOf<CtdbIface>());
        yield return Size("tunable list", TunableList.Size, Unsafe.SizeOf<CtdbTunableList>());
        yield return Size("node flag change", NodeFlagChange.Size, Unsafe.SizeOf<CtdbNodeFlagChange>());
        yield return Size("ban state", BanState.Size, Unsafe.SizeOf<CtdbBanState>());
        yield return Size("srvid message", SrvidMessage.Size, Unsafe.SizeOf<CtdbSrvidMessage>());
        yield return Size("disable message", DisableMessage.Size, Unsafe.SizeOf<CtdbDisableMessage>());
        yield return Size("election message", ElectionMessage.Size, Unsafe.SizeOf<CtdbElectionMessage>());
        yield return Size("timeval", TimeVal.Size, Unsafe.SizeOf<Timeval>());
        yield return Size("uptime", Uptime.Size, Unsafe.SizeOf<CtdbUptime>());
        yield return Size("node map count", new NodeMap([]).WireLength, CtdbNodeMap.FixedSize);
        yield return Size("vnn map fixed part", new VnnMap(0, []).WireLength, CtdbVnnMapWire.FixedSize);
        yield return Size("dbid map count", new DbIdMap([]).WireLength, CtdbDbidMap.FixedSize);
        yield return Size("public ip list count", new PublicIpList([]).WireLength, CtdbPublicIpList.FixedSize);
        yield return Size("iface list count", new IfaceList([]).WireLength, CtdbIfaceList.FixedSize);
        yield return Size("packet alignment", PacketFraming.Alignment, 8);
    }

    [TestCaseSource(nameof(Sizes))]
    public void Codec_sizes_equal_the_generated_struct_sizes(int codec, int generated) => Assert.That(codec, Is.EqualTo(generated));

    [Test]
    public void Header_bytes_match_the_generated_struct()
    {
        var header = new PacketHeader(64, CtdbConstants.Magic, CtdbConstants.Protocol, 77, CtdbOperation.ReqControl, 2, 1, 9);
        var generated = new CtdbReqHeader
        {
            Length = 64, CtdbMagic = CtdbConstants.Magic, CtdbVersion = CtdbConstants.Protocol, Generation = 77,
            Operation = (uint)CtdbOperation.ReqControl, Destnode = 2, Srcnode = 1, Reqid = 9,
        };
        var pushed = new byte[PacketHeader.Size];
        header.Push(pushed);

        Assert.That(pushed, Is.EqualTo(Bytes(generated)));
        Assert.That(PacketHeader.Pull(Bytes(generated)), Is.EqualTo(header));
    }

    [Test]
    public void Fixed_parts_of_packets_match_the_generated_structs()
    {
        var request = new ControlRequest(CtdbControl.GetNodemap, 2, 0x1122334455667788, 5, 1, ReadOnlyMemory<byte>.Empty).Encode(9, 1, 3);
        var generatedRequest = new CtdbReqControl { Hdr = Hdr(64, CtdbOperation.ReqControl, 2, 1, 9, 3), Opcode = (uint)CtdbControl.GetNodemap, Srvid = 0x1122334455667788, ClientId = 5, Flags = 1 };
        Assert.That(request[..CtdbReqControl.FixedSize], Is.EqualTo(Bytes(generatedRequest)[..CtdbReqControl.FixedSize]));

        var replyHeader = Hdr(48, CtdbOperation.ReplyControl, 1, 2, 9, 3);
        var reply = new ControlReply(-5, new byte[] { 1, 2 }, null).Encode(Read(replyHeader));
        var generatedReply = new CtdbReplyControl { Hdr = replyHeader, Status = -5, Datalen = 2 };
        Assert.That(reply[..CtdbReplyControl.FixedSize], Is.EqualTo(Bytes(generatedReply)[..CtdbReplyControl.FixedSize]));

        var message = new MessagePacket(CtdbSrvid.Leader, new byte[4]).Encode(CtdbConstants.BroadcastConnected, 0, 1, 3);
        var generatedMessage = new CtdbReqMessage { Hdr = Hdr(48, CtdbOperation.ReqMessage, CtdbConstants.BroadcastConnected, 1, 0, 3), Srvid = CtdbSrvid.Leader, Datalen = 4 };
        Assert.That(message[..CtdbReqMessage.FixedSize], Is.EqualTo(Bytes(generatedMessage)[..CtdbReqMessage.FixedSize]));
    }

    [Test]
    public void Small_payloads_match_the_generated_structs()
    {
        Assert.Multiple(() =>
        {
            Same(new NodeFlagChange(1, NodeFlags.Banned, NodeFlags.Stopped), new CtdbNodeFlagChange { Pnn = 1, NewFlags = 8, OldFlags = 0x20 });
            Same(new BanState(2, 300), new CtdbBanState { Pnn = 2, Time = 300 });
            Same(new SrvidMessage(3, 0xCE00000100000002), new CtdbSrvidMessage { Pnn = 3, Srvid = 0xCE00000100000002 });
            Same(new DisableMessage(4, 7, 60), new CtdbDisableMessage { Pnn = 4, Srvid = 7, Timeout = 60 });
            Same(
                new ElectionMessage(2, new TimeVal(1_764_111_000, 123), 1, NodeFlags.Unhealthy),
                new CtdbElectionMessage { NumConnected = 2, PriorityTime = new Timeval { TvSec = 1_764_111_000, TvUsec = 123 }, Pnn = 1, NodeFlags = 2 });
            Same(new DbId(0xBF5D5373, CtdbDbFlags.Persistent), new CtdbDbid { DbId = 0xBF5D5373, Flags = 1 });
            Same(
                new Uptime(new TimeVal(1, 2), new TimeVal(3, 4), new TimeVal(5, 6), new TimeVal(7, 8)),
                new CtdbUptime
                {
                    CurrentTime = new Timeval { TvSec = 1, TvUsec = 2 }, CtdbdStartTime = new Timeval { TvSec = 3, TvUsec = 4 },
                    LastRecoveryStarted = new Timeval { TvSec = 5, TvUsec = 6 }, LastRecoveryFinished = new Timeval { TvSec = 7, TvUsec = 8 },
                });
        });
    }

    [Test]
    public void Address_carrying_payloads_match_the_generated_structs()
    {
        var address = new IPEndPoint(IPAddress.Parse("127.0.0.3"), CtdbConstants.Port);
        var sockAddr = new byte[SockAddr.Size];
        SockAddr.Push(address, sockAddr);
        var raw = MemoryMarshal.Read<CtdbSockAddr>(sockAddr);

        Same(new NodeAndFlags(2, NodeFlags.Disconnected, address), new CtdbNodeAndFlags { Pnn = 2, Flags = 1, Addr = raw });
        Same(new PublicIp(1, address), new CtdbPublicIp { Pnn = 1, Addr = raw });
    }

    [Test]
    public unsafe void Iface_matches_the_generated_struct()
    {
        var generated = new CtdbIface { LinkState = 1, References = 3 };
        generated.Name[0] = (byte)'l';
        generated.Name[1] = (byte)'o';

        Same(new Iface("lo", 1, 3), generated);
    }

    [Test]
    public void Tunable_properties_match_the_generated_fields_by_name_and_position()
    {
        var generated = new CtdbTunableList();
        object boxed = generated;
        var fields = typeof(CtdbTunableList).GetFields(BindingFlags.Public | BindingFlags.Instance);
        Assert.That(fields, Has.Length.EqualTo(TunableList.Count));
        foreach (var field in fields)
        {
            var offset = (int)Marshal.OffsetOf<CtdbTunableList>(field.Name);
            field.SetValue(boxed, 0x1000u + (uint)offset);
            var property = typeof(TunableList).GetProperty(field.Name);
            Assert.That(property, Is.Not.Null, $"TunableList has no property {field.Name}");
            Assert.That(property!.GetValue(TunableLayout.OffsetMarked), Is.EqualTo(0x1000u + (uint)offset), field.Name);
        }

        Same(TunableLayout.OffsetMarked, (CtdbTunableList)boxed);
    }

    private static void Same<TWire, TGenerated>(TWire value, TGenerated generated)
        where TWire : IWireType<TWire>
        where TGenerated : unmanaged
    {
        var bytes = Bytes(generated);
        Assert.That(Convert.ToHexStringLower(WireType.Encode(value)), Is.EqualTo(Convert.ToHexStringLower(bytes)), typeof(TWire).Name);
        Assert.That(WireType.Decode<TWire>(bytes, typeof(TWire).Name), Is.EqualTo(value), typeof(TWire).Name);
    }

    private static CtdbReqHeader Hdr(uint length, CtdbOperation operation, uint dest, uint src, uint reqid, uint generation) => new()
    {
        Length = length, CtdbMagic = CtdbConstants.Magic, CtdbVersion = CtdbConstants.Protocol, Generation = generation,
        Operation = (uint)operation, Destnode = dest, Srcnode = src, Reqid = reqid,
    };

    private static PacketHeader Read(CtdbReqHeader header) => PacketHeader.Pull(Bytes(header));

    private static byte[] Bytes<T>(T value)
        where T : unmanaged
    {
        // Structs built with `new` start zeroed, so their padding bytes read as zero, like ctdb's zeroed packets.
        var bytes = new byte[Unsafe.SizeOf<T>()];
        MemoryMarshal.Write(bytes, in value);
        return bytes;
    }

    private static TestCaseData Size(string name, int codec, int generated) => new TestCaseData(codec, generated).SetArgDisplayNames(name);
}
