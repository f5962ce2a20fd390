namespace CtdbInterop.Bindings.Generator.Model;

/// <summary>Everything read from the headers, with C# names decided: the input of every emitter.</summary>
internal sealed record BindingModel(
    IReadOnlyList<EnumModel> Enums,
    IReadOnlyList<ConstantModel> Constants,
    IReadOnlyList<MacroModel> SkippedMacros,
    IReadOnlyList<StructModel> Structs,
    IReadOnlyList<SkippedType> SkippedTypes);

/// <summary>A #define placed in its C# family under its C# name.</summary>
internal sealed record ConstantModel(ConstantGroup Group, MacroModel Macro, string CsName)
{
    /// <summary>The C# type of the constant (the family's, or clang's for the catch-all family); null for strings.</summary>
    public ScalarType? CsType => Macro.StringValue is not null ? null : Group.Type ?? Macro.IntegerType;
}
