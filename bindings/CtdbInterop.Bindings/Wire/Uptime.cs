namespace CtdbInterop.Bindings.Wire;

/// <summary><c>struct ctdb_uptime</c>, 64 bytes: four timevals. Reply of UPTIME (control 69).</summary>
public readonly record struct Uptime(TimeVal CurrentTime, TimeVal CtdbdStartTime, TimeVal LastRecoveryStarted, TimeVal LastRecoveryFinished)
    : IWireType<Uptime>
{
    public const int Size = 4 * TimeVal.Size;

    public int WireLength => Size;

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        CurrentTime.Write(ref w);
        CtdbdStartTime.Write(ref w);
        LastRecoveryStarted.Write(ref w);
        LastRecoveryFinished.Write(ref w);
    }

    public static Uptime Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "uptime");
        var value = new Uptime(
            TimeVal.Read(ref r, "current_time"),
            TimeVal.Read(ref r, "ctdbd_start_time"),
            TimeVal.Read(ref r, "last_recovery_started"),
            TimeVal.Read(ref r, "last_recovery_finished"));
        consumed = r.Position;
        return value;
    }
}
