namespace CtdbInterop.Fuzz;

/// <summary>
/// The fuzz targets, chosen by the input's first byte (modulo the count) so that one afl-fuzz
/// run and one corpus cover them all. The rest of the input is the target's data.
/// </summary>
internal enum FuzzTarget : byte
{
    /// <summary>Framing only: <c>PacketFraming.ReadLength</c> and <c>ReadHeader</c> of a whole packet.</summary>
    Framing = 0,

    /// <summary>A control reply packet, then every typed reply parser on it.</summary>
    ControlReply = 1,

    /// <summary>A control request packet, then every request payload reader on it.</summary>
    ControlRequest = 2,

    /// <summary>A message packet, then every message payload parser on it.</summary>
    Message = 3,

    /// <summary>A bare payload through every wire type's decoder and the scalar decoders.</summary>
    Payload = 4,

    /// <summary>A byte stream from a fake ctdbd through the real client's packet reader.</summary>
    Stream = 5,
}
