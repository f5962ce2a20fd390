using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// A well-formed control reply that reports failure: a negative or non-zero status (as the
/// control defines it) or any error text. Thrown by the typed reply parsers in
/// <see cref="Controls"/>; the connection stays usable.
/// </summary>
public sealed class CtdbControlException : Exception
{
    public CtdbControlException()
    {
    }

    public CtdbControlException(string message)
        : base(message)
    {
    }

    public CtdbControlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CtdbControlException(CtdbControl opcode, int status, string? errorMessage)
        : base(Describe(opcode, status, errorMessage))
    {
        Opcode = opcode;
        Status = status;
        ErrorMessage = errorMessage;
    }

    /// <summary>The control that failed.</summary>
    public CtdbControl Opcode { get; }

    /// <summary>The reply's status; -1 when ctdbd gave only error text with status 0.</summary>
    public int Status { get; }

    /// <summary>ctdbd's error text, if it sent any.</summary>
    public string? ErrorMessage { get; }

    private static string Describe(CtdbControl opcode, int status, string? errorMessage) =>
        errorMessage is null
            ? $"control {opcode} failed with status {status}"
            : $"control {opcode} failed with status {status}: {errorMessage}";
}
