namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>
/// The outcome of one read the shell made (a control reply or its failure/timeout).
/// Failures are values: each decision states what a failed read means at its step.
/// Create with <see cref="Fetch.Ok{T}"/> and <see cref="Fetch.Failed{T}"/>; <c>default</c> is a failure.
/// </summary>
public readonly record struct FetchResult<T>
{
    private readonly T? _value;

    internal FetchResult(bool succeeded, T? value)
    {
        Succeeded = succeeded;
        _value = value;
    }

    public bool Succeeded { get; }

    /// <summary>The value; throws for a failed read so a decision cannot use a missing value by accident.</summary>
    public T Value => Succeeded ? _value! : throw new InvalidOperationException("The read failed; there is no value.");

    public bool TryGetValue(out T value)
    {
        value = _value!;
        return Succeeded;
    }

    public override string ToString() => Succeeded ? $"Ok({_value})" : "Failed";
}

/// <summary>Shorthands: <c>Fetch.Ok(x)</c>, <c>Fetch.Failed&lt;T&gt;()</c>.</summary>
public static class Fetch
{
    public static FetchResult<T> Ok<T>(T value) => new(true, value);

    public static FetchResult<T> Failed<T>() => new(false, default);
}
