namespace CtdbInterop.Bindings.Wire;

/// <summary>A C <c>struct timeval</c> on LP64: tv_sec (i64), tv_usec (i64), 16 bytes.</summary>
public readonly record struct TimeVal(long Seconds, long Microseconds)
{
    public const int Size = 16;

    /// <summary>The time as wall-clock UTC; throws if the fields are out of range.</summary>
    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Microseconds * TimeSpan.TicksPerMicrosecond);

    /// <summary>Whole microseconds of a wall-clock time (gettimeofday's resolution).</summary>
    public static TimeVal FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }

        return new TimeVal(seconds, rest / TimeSpan.TicksPerMicrosecond);
    }

    internal void Write(ref WireWriter w)
    {
        w.WriteInt64(Seconds);
        w.WriteInt64(Microseconds);
    }

    internal static TimeVal Read(ref WireReader r, string field) =>
        new(r.ReadInt64($"{field}.tv_sec"), r.ReadInt64($"{field}.tv_usec"));
}
