namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// What may follow a packet's last field: only the zero padding up to the next multiple of 8
/// (fewer than 8 bytes). More means the length field and the inner lengths disagree.
/// Padding content is not checked, as ctdbd does not check it either.
/// </summary>
internal static class PacketPadding
{
    public static void Check(ref WireReader r)
    {
        if (r.Remaining >= PacketFraming.Alignment)
        {
            r.Fail($"{r.Remaining} bytes follow the payload at offset {r.Position}; padding is at most {PacketFraming.Alignment - 1}");
        }
    }
}
