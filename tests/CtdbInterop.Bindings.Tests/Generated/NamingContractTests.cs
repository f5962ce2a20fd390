using System.Runtime.CompilerServices;
using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Tests.Generated;

/// <summary>
/// The names other code is written against, with values and sizes from the behaviour reference
/// (recoverd-behaviours §4 and §5): compiled, so a renamed member breaks the build here first.
/// </summary>
[Description("issue 3 item 3: naming contract of the generated bindings")]
public class NamingContractTests
{
    [Test]
    public void Operations_and_controls()
    {
        Assert.Multiple(() =>
        {
            Assert.That((uint)CtdbOperation.ReqMessage, Is.EqualTo(5));
            Assert.That((uint)CtdbOperation.ReplyError, Is.EqualTo(4));
            Assert.That((uint)CtdbOperation.ReqControl, Is.EqualTo(7));
            Assert.That((uint)CtdbOperation.ReplyControl, Is.EqualTo(8));
            Assert.That((uint)CtdbControl.Getvnnmap, Is.EqualTo(5));
            Assert.That((uint)CtdbControl.GetPnn, Is.EqualTo(35));
            Assert.That((uint)CtdbControl.GetAllTunables, Is.EqualTo(53));
            Assert.That((uint)CtdbControl.RecdPing, Is.EqualTo(87));
            Assert.That((uint)CtdbControl.GetNodemap, Is.EqualTo(91));
            Assert.That((uint)CtdbControl.GetReclockFile, Is.EqualTo(99));
            Assert.That((uint)CtdbControl.SetBanState, Is.EqualTo(109));
            Assert.That((uint)CtdbControl.GetRunstate, Is.EqualTo(138));
            Assert.That((uint)CtdbControl.GetNodesFile, Is.EqualTo(140));
            Assert.That((uint)CtdbRunstate.Running, Is.EqualTo(5));
            Assert.That((uint)CtdbRecoveryMode.Active, Is.EqualTo(1));
            Assert.That((uint)CtdbEvent.Init, Is.Zero);
        });
    }

    [Test]
    public void Srvids_flags_and_constants()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CtdbSrvid.All, Is.EqualTo(ulong.MaxValue));
            Assert.That(CtdbSrvid.Election, Is.EqualTo(0xF100000000000000));
            Assert.That(CtdbSrvid.Leader, Is.EqualTo(0xF101000000000000));
            Assert.That(CtdbSrvid.TakeoverRun, Is.EqualTo(0xFB00000000000000));
            Assert.That(CtdbSrvid.DisableRecoveries, Is.EqualTo(0xFB04000000000000));
            Assert.That(NodeFlags.Disabled, Is.EqualTo(NodeFlags.Unhealthy | NodeFlags.PermanentlyDisabled));
            Assert.That((uint)NodeFlags.Inactive, Is.EqualTo(0x39));
            Assert.That((uint)CtdbCapabilities.Default, Is.EqualTo(0x00030003));
            Assert.That((byte)CtdbDbFlags.Persistent, Is.EqualTo(1));
            Assert.That((uint)CtdbControlFlags.Noreply, Is.EqualTo(1));
            Assert.That((uint)CtdbControlFlags.PublicIpOnlyAvailable, Is.EqualTo(0x00010000));
            Assert.That(CtdbConstants.Magic, Is.EqualTo(0x43544442));
            Assert.That(CtdbConstants.Protocol, Is.EqualTo(1));
            Assert.That(CtdbConstants.CurrentNode, Is.EqualTo(0xF0000001));
            Assert.That(CtdbConstants.BroadcastAll, Is.EqualTo(0xF0000002));
            Assert.That(CtdbConstants.BroadcastConnected, Is.EqualTo(0xF0000004));
            Assert.That(CtdbConstants.UnknownPnn, Is.EqualTo(0xFFFFFFFF));
            Assert.That(CtdbConstants.InvalidGeneration, Is.EqualTo(1));
            Assert.That(CtdbConstants.Port, Is.EqualTo(4379));
            Assert.That(CtdbConstants.DsAlignment, Is.EqualTo(8));
            Assert.That(CtdbConstants.IfaceSize, Is.EqualTo(16));
            Assert.That(CtdbConstants.DbSeqnumKey, Is.EqualTo("__db_sequence_number__"));
        });
    }

    [Test]
    public void Wire_struct_sizes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Unsafe.SizeOf<CtdbReqHeader>(), Is.EqualTo(32));
            Assert.That(CtdbReqControl.FixedSize, Is.EqualTo(60));
            Assert.That(CtdbReplyControl.FixedSize, Is.EqualTo(44));
            Assert.That(CtdbReqMessage.FixedSize, Is.EqualTo(44));
            Assert.That(CtdbReplyError.FixedSize, Is.EqualTo(40));
            Assert.That(Unsafe.SizeOf<CtdbSockAddr>(), Is.EqualTo(28));
            Assert.That(Unsafe.SizeOf<CtdbNodeAndFlags>(), Is.EqualTo(36));
            Assert.That(CtdbNodeMap.FixedSize, Is.EqualTo(4));
            Assert.That(CtdbVnnMapWire.FixedSize, Is.EqualTo(8));
            Assert.That(Unsafe.SizeOf<CtdbDbid>(), Is.EqualTo(8));
            Assert.That(Unsafe.SizeOf<CtdbPublicIp>(), Is.EqualTo(32));
            Assert.That(Unsafe.SizeOf<CtdbIface>(), Is.EqualTo(24));
            Assert.That(Unsafe.SizeOf<CtdbNodeFlagChange>(), Is.EqualTo(12));
            Assert.That(Unsafe.SizeOf<CtdbBanState>(), Is.EqualTo(8));
            Assert.That(Unsafe.SizeOf<CtdbTunableList>(), Is.EqualTo(248));
            Assert.That(Unsafe.SizeOf<CtdbSrvidMessage>(), Is.EqualTo(16));
            Assert.That(Unsafe.SizeOf<CtdbDisableMessage>(), Is.EqualTo(24));
            Assert.That(Unsafe.SizeOf<CtdbElectionMessage>(), Is.EqualTo(32));
            Assert.That(Unsafe.SizeOf<CtdbUptime>(), Is.EqualTo(64));
        });
    }
}
