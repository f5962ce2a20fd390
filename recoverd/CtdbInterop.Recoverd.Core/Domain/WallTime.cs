namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>
/// Wall-clock time as a <c>struct timeval</c> (seconds and microseconds since the Unix
/// epoch). Used only for the election priority time (B79, B80, B86), which peers compare
/// across nodes; every timer uses the monotonic <see cref="TimeSpan"/> clock instead.
/// </summary>
public readonly record struct WallTime(long Seconds, long Microseconds) : IComparable<WallTime>
{
    public static WallTime FromUnixMicroseconds(long micros)
    {
        var seconds = Math.DivRem(micros, 1_000_000, out var rest);
        return rest < 0 ? new WallTime(seconds - 1, rest + 1_000_000) : new WallTime(seconds, rest);
    }

    public long ToUnixMicroseconds() => (Seconds * 1_000_000) + Microseconds;

    /// <summary>Same order as Samba's <c>timeval_compare()</c>: seconds, then microseconds.</summary>
    public int CompareTo(WallTime other) =>
        Seconds != other.Seconds ? Seconds.CompareTo(other.Seconds) : Microseconds.CompareTo(other.Microseconds);

    public static bool operator <(WallTime left, WallTime right) => left.CompareTo(right) < 0;

    public static bool operator >(WallTime left, WallTime right) => left.CompareTo(right) > 0;

    public static bool operator <=(WallTime left, WallTime right) => left.CompareTo(right) <= 0;

    public static bool operator >=(WallTime left, WallTime right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Seconds}.{Microseconds:D6}";
}
