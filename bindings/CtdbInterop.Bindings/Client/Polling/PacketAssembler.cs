using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Client.Polling;

/// <summary>
/// Cuts a byte stream into ctdb packets: bytes are received straight into
/// <see cref="FreeSpace"/>, and <see cref="TakePackets"/> hands out every complete packet.
/// One receive can then carry a whole burst of replies. A length field that no packet can
/// have leaves no way to find the next packet, so it throws <see cref="CtdbProtocolException"/>.
/// </summary>
internal sealed class PacketAssembler(int initialCapacity = PacketAssembler.DefaultCapacity)
{
    public const int DefaultCapacity = 64 * 1024;

    private byte[] _buffer = new byte[initialCapacity];
    private int _start;
    private int _end;

    /// <summary>Bytes of an incomplete packet held back (0 between packets).</summary>
    public int Pending => _end - _start;

    /// <summary>Where to receive into; never empty.</summary>
    public Memory<byte> FreeSpace
    {
        get
        {
            EnsureRoom(Pending + 1);

            return _buffer.AsMemory(_end);
        }
    }

    /// <summary>Records that <paramref name="count"/> bytes were received into <see cref="FreeSpace"/>.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _end);
        _end += count;
    }

    /// <summary>Passes every complete packet to <paramref name="onPacket"/>, in order.</summary>
    public void TakePackets(PacketHandler onPacket)
    {
        while (Pending >= 4)
        {
            var length = PacketFraming.ReadLength(_buffer.AsSpan(_start, 4));
            if (Pending < length)
            {
                // The rest of this packet must fit behind what has arrived.
                EnsureRoom(length);
                return;
            }

            var packet = _buffer.AsSpan(_start, length);
            _start += length;
            onPacket(packet);
        }

        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Makes room for <paramref name="needed"/> bytes counted from the first pending byte.</summary>
    private void EnsureRoom(int needed)
    {
        if (_start + needed <= _buffer.Length)
        {
            return;
        }

        // Move the pending bytes to the front, into a larger buffer only if they cannot fit.
        var target = needed <= _buffer.Length ? _buffer : new byte[Math.Max(needed, _buffer.Length * 2)];
        _buffer.AsSpan(_start, Pending).CopyTo(target);
        _end = Pending;
        _start = 0;
        _buffer = target;
    }
}

/// <summary>Receives one complete packet; the span is valid only during the call.</summary>
internal delegate void PacketHandler(ReadOnlySpan<byte> packet);
