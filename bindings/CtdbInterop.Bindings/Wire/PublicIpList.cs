using System.Collections.Immutable;

namespace CtdbInterop.Bindings.Wire;

/// <summary>The public IP list (<c>struct ctdb_public_ip_list_old</c>): num (u32), then num × 32-byte entries. Reply of GET_PUBLIC_IPS.</summary>
public sealed record PublicIpList(ImmutableArray<PublicIp> Ips) : IWireType<PublicIpList>
{
    public int WireLength => 4 + (Ips.Length * PublicIp.Size);

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32((uint)Ips.Length);
        foreach (var ip in Ips)
        {
            ip.Write(ref w);
        }
    }

    public static PublicIpList Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "public ip list");
        var count = r.CheckCount(r.ReadUInt32("num"), PublicIp.Size, "public ip count");
        var ips = ImmutableArray.CreateBuilder<PublicIp>(count);
        for (var i = 0; i < count; i++)
        {
            ips.Add(PublicIp.Read(ref r));
        }

        consumed = r.Position;
        return new PublicIpList(ips.MoveToImmutable());
    }

    /// <summary>Equal when the entries are equal, in order.</summary>
    public bool Equals(PublicIpList? other) => other is not null && Ips.SequenceEqual(other.Ips);

    public override int GetHashCode() => Ips.Length;
}
