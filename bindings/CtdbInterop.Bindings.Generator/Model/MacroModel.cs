namespace CtdbInterop.Bindings.Generator.Model;

/// <summary>An object-like #define of the bound headers and what clang made of it.</summary>
internal sealed record MacroModel(string Name, string Header, uint Line, IReadOnlyList<string> BodyTokens)
{
    /// <summary>Integer value, when clang evaluated the macro to an integer constant.</summary>
    public Int128? IntegerValue { get; init; }

    /// <summary>C type of the evaluated integer (from the macro's expression type).</summary>
    public ScalarType? IntegerType { get; init; }

    /// <summary>String value, when the macro is a string literal.</summary>
    public string? StringValue { get; init; }

    /// <summary>Why no constant was produced, when neither value is set.</summary>
    public string? SkipReason { get; init; }

    /// <summary>True when the body has a hexadecimal literal or names a macro that does (set by the reader).</summary>
    public bool WrittenInHex { get; init; }
}
