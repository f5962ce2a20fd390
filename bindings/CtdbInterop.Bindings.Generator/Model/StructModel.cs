namespace CtdbInterop.Bindings.Generator.Model;

/// <summary>A C struct or union that has an exact blittable C# counterpart.</summary>
/// <param name="CType">A C type name usable in sizeof/offsetof (the layout probe uses it).</param>
/// <param name="Description">What the C type is, for comments (e.g. <c>struct ctdb_req_header</c>).</param>
/// <param name="Header">The bound header it comes from, or the bound header that first uses it.</param>
/// <param name="Overlapping">True when fields share offsets (anonymous unions): emitted with explicit offsets.</param>
internal sealed record StructModel(
    string CType,
    string CsName,
    string Description,
    string Header,
    bool IsUnion,
    long Size,
    long Align,
    IReadOnlyList<FieldModel> Fields,
    TrailingArrayModel? Trailing,
    bool Overlapping)
{
    public bool NeedsUnsafe => IsUnion || Fields.Any(f => f.FixedLength is not null);

    /// <summary>True for a C library type (struct timeval) that the bound headers use.</summary>
    public bool FromCLibrary { get; init; }
}

/// <summary>A struct member. <paramref name="CDesignator"/> is what offsetof takes.</summary>
/// <param name="CDeclaration">The member as declared in C, e.g. <c>char name[18]</c>.</param>
/// <param name="CsType">C# type: a keyword or a generated type's name.</param>
/// <param name="FixedLength">Element count when the member is a fixed array of scalars.</param>
/// <param name="Note">Remark for the doc comment (e.g. C bool mapped to byte), or null.</param>
/// <param name="Record">The generated record this member holds, if any.</param>
internal sealed record FieldModel(string CDesignator, string CsName, long Offset, string CsType, long? FixedLength, string CDeclaration, string? Note,
                                  StructModel? Record = null);

/// <summary>A last member that is a variable-length tail (<c>uint8_t data[1]</c>): not emitted as a field.</summary>
internal sealed record TrailingArrayModel(string CName, long Offset, string CDeclaration);

/// <summary>A C type the generator left out, and why.</summary>
internal sealed record SkippedType(string Description, string Header, string Reason);
