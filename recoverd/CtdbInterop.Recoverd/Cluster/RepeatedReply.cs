using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>
/// The last successful reply of one kind and what it was parsed into. An idle cluster answers
/// the same bytes every second, and parsing them again, with the conversion to the decision
/// core's views, was a tenth of the code an idle iteration ran (issue 7, idle CPU: each line
/// of code run costs a fetch from memory here). The same bytes parse to the same value, so a
/// reply equal to the last one returns that value; any other reply, failures included, is
/// parsed as ever. The value must be immutable: the core gets the same instance again.
/// </summary>
internal sealed class RepeatedReply<T>
{
    private byte[]? _lastData;
    private T _lastValue = default!;

    /// <summary><paramref name="parse"/> of <paramref name="reply"/>, or the last value when the reply repeats the last one.</summary>
    public T Parse(ControlReply reply, Func<ControlReply, T> parse)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(parse);
        if (reply.IsSuccess && _lastData is { } last && reply.Data.Span.SequenceEqual(last))
        {
            return _lastValue;
        }

        var value = parse(reply);
        if (reply.IsSuccess)
        {
            _lastData = reply.Data.ToArray();
            _lastValue = value;
        }

        return value;
    }
}
