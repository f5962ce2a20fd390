using System.Buffers.Binary;

namespace CtdbInterop.GoldenRecorder;

/// <summary>
/// Builds request packets by hand (not with the codec under test): header of eight u32
/// (length, magic, version, generation, operation, destnode, srcnode, reqid), then the
/// control fields, zero padded to a multiple of 8.
/// </summary>
internal static class RawPackets
{
    private const uint Magic = 0x43544442;
    private const uint Version = 1;
    private const uint ReqControl = 7;
    private const uint UnknownPnn = 0xFFFFFFFF;

    public static byte[] Control(uint reqid, uint dest, uint opcode, uint flags, ulong srvid, byte[] data)
    {
        var length = 60 + data.Length;
        var packet = new byte[(length + 7) & ~7];
        var s = packet.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)packet.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], ReqControl);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], dest);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], UnknownPnn);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], reqid);
        BinaryPrimitives.WriteUInt32LittleEndian(s[32..], opcode);
        BinaryPrimitives.WriteUInt64LittleEndian(s[40..], srvid);
        BinaryPrimitives.WriteUInt32LittleEndian(s[52..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(s[56..], (uint)data.Length);
        data.CopyTo(s[60..]);
        return packet;
    }

    public static uint ReqId(byte[] packet) => BinaryPrimitives.ReadUInt32LittleEndian(packet.AsSpan(28));

    public static uint Operation(byte[] packet) => BinaryPrimitives.ReadUInt32LittleEndian(packet.AsSpan(16));
}
