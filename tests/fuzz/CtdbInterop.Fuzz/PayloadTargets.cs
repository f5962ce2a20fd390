using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Fuzz;

/// <summary>
/// Bare payloads through every wire type: <c>Pull</c> (one value from the start, the rest left)
/// and <c>WireType.Decode</c> (exact size), plus the scalar decoders and the socket address.
/// A value that decodes must re-encode to the bytes it was read from, except where the format
/// has bytes the decoder does not keep (padding, text after a NUL, IPv6 flowinfo).
/// </summary>
internal static class PayloadTargets
{
    public static void All(ReadOnlySpan<byte> payload)
    {
        var bytes = payload.ToArray();
        Both<NodeAndFlags>(bytes, "node and flags");
        Both<NodeMap>(bytes, "node map");
        Both<VnnMap>(bytes, "vnn map");
        Both<DbId>(bytes, "db id");
        Both<DbIdMap>(bytes, "db id map");
        Both<TunableList>(bytes, "tunables");
        Both<NodeFlagChange>(bytes, "node flag change");
        Both<BanState>(bytes, "ban state");
        Both<PublicIp>(bytes, "public ip");
        Both<PublicIpList>(bytes, "public ip list");
        Both<Iface>(bytes, "iface");
        Both<IfaceList>(bytes, "iface list");
        Both<Uptime>(bytes, "uptime");
        Both<SrvidMessage>(bytes, "srvid message");
        Both<DisableMessage>(bytes, "disable message");
        Both<ElectionMessage>(bytes, "election message");
        Expect.Decodes(() => SockAddr.Pull(bytes, out _));
        Expect.Decodes(() => PacketHeader.Pull(bytes));
        Expect.Decodes(() => WireScalars.DecodeUInt32(bytes, "u32"));
        Expect.Decodes(() => WireScalars.DecodeInt32(bytes, "i32"));
        Expect.Decodes(() => WireScalars.DecodeLeadingUInt32(bytes, "leading u32"));
        Expect.Decodes(() => WireScalars.DecodeDouble(bytes, "double"));
        Expect.Decodes(() => WireScalars.DecodeCString(bytes));
    }

    private static void Both<T>(byte[] bytes, string what)
        where T : IWireType<T>
    {
        Expect.Decodes(() =>
        {
            var value = T.Pull(bytes, out var consumed);
            Invariant.Holds(consumed >= 0 && consumed <= bytes.Length, $"{what}: consumed {consumed} of {bytes.Length}");
            Invariant.Holds(value.WireLength == consumed, $"{what}: wire length {value.WireLength} != consumed {consumed}");
            // Re-encoding a decoded value gives bytes that decode to the same wire bytes again.
            var encoded = WireType.Encode(value);
            var reencoded = WireType.Encode(WireType.Decode<T>(encoded, what));
            Invariant.Holds(encoded.AsSpan().SequenceEqual(reencoded), $"{what}: encoding is not stable");
        });
        Expect.Decodes(() => WireType.Decode<T>(bytes, what));
    }
}
