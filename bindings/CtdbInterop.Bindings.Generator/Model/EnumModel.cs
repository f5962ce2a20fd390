namespace CtdbInterop.Bindings.Generator.Model;

/// <summary>A C enum of the bound headers.</summary>
internal sealed record EnumModel(string CName, string Header, ScalarType Underlying, IReadOnlyList<EnumMemberModel> Members);

internal sealed record EnumMemberModel(string CName, Int128 Value);
