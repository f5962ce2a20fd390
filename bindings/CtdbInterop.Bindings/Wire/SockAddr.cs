using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// <c>ctdb_sock_addr</c>: 28 bytes holding a raw <c>sockaddr_in</c> or <c>sockaddr_in6</c>
/// (Linux layout). Family u16 in host order at 0 (AF_INET 2, AF_INET6 10), port in network order
/// at 2; IPv4 address at 4 (then zeros); IPv6 flowinfo at 4, address at 8, scope id (host order)
/// at 24. Decoding ignores the IPv4 filler and the IPv6 flowinfo (ctdb never sets either);
/// encoding writes zeros there. Other families are rejected.
/// </summary>
public static class SockAddr
{
    public const int Size = 28;

    private const ushort LinuxAfInet = 2;
    private const ushort LinuxAfInet6 = 10;

    public static void Push(IPEndPoint endPoint, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var w = new WireWriter(destination);
        Write(ref w, endPoint);
    }

    public static IPEndPoint Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "socket address");
        var endPoint = Read(ref r);
        consumed = r.Position;
        return endPoint;
    }

    internal static void Write(ref WireWriter w, IPEndPoint endPoint)
    {
        var start = w.Position;
        var isV6 = endPoint.AddressFamily == AddressFamily.InterNetworkV6;
        w.WriteUInt16(isV6 ? LinuxAfInet6 : LinuxAfInet);
        BinaryPrimitives.WriteUInt16BigEndian(w.Next(2), (ushort)endPoint.Port);
        if (isV6)
        {
            w.WriteZeros(4);
            endPoint.Address.TryWriteBytes(w.Next(16), out _);
            w.WriteUInt32((uint)endPoint.Address.ScopeId);
        }
        else if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            endPoint.Address.TryWriteBytes(w.Next(4), out _);
        }
        else
        {
            throw new ArgumentException($"cannot encode address family {endPoint.AddressFamily}", nameof(endPoint));
        }

        w.WriteZeros(Size - (w.Position - start));
    }

    internal static IPEndPoint Read(ref WireReader r)
    {
        var start = r.Position;
        var family = r.ReadUInt16("address family");
        var port = BinaryPrimitives.ReadUInt16BigEndian(r.ReadBytes(2, "port"));
        IPEndPoint endPoint;
        switch (family)
        {
            case LinuxAfInet:
                endPoint = new IPEndPoint(new IPAddress(r.ReadBytes(4, "IPv4 address")), port);
                break;
            case LinuxAfInet6:
                r.Skip(4, "IPv6 flowinfo");
                var address = r.ReadBytes(16, "IPv6 address");
                var scope = r.ReadUInt32("IPv6 scope id");
                endPoint = new IPEndPoint(new IPAddress(address, scope), port);
                break;
            default:
                r.Fail($"unsupported socket address family {family} at offset {start}");
                return null;
        }

        r.Skip(Size - (r.Position - start), "socket address filler");
        return endPoint;
    }
}
