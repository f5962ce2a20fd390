using System.Text.RegularExpressions;
using CtdbInterop.Bindings.Generator.Clang;
using CtdbInterop.Bindings.Generator.Model;

namespace CtdbInterop.Bindings.Generator;

/// <summary>
/// Builds blittable models of the structs and unions declared in the bound headers, plus the
/// record types they contain (e.g. struct timeval). Types with pointers, bit-fields or arrays of
/// records have no exact blittable form: they are reported as skipped, never approximated.
/// </summary>
internal sealed partial class StructReader(CtdbSources sources, IReadOnlyDictionary<string, string> enumNames)
{
    private readonly Dictionary<string, StructModel> built = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> failed = new(StringComparer.Ordinal);
    private readonly List<SkippedType> skipped = [];
    private readonly List<StructModel> roots = [];

    public IReadOnlyList<SkippedType> Skipped => skipped;

    /// <summary>The bound headers' expressible records and every record they contain (the already-built
    /// unnamed parts of a struct that failed later are left out).</summary>
    public IReadOnlyCollection<StructModel> ReachableStructs()
    {
        var reachable = new Dictionary<string, StructModel>(StringComparer.Ordinal);
        var pending = new Stack<StructModel>(roots);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (reachable.TryAdd(next.CType, next))
            {
                foreach (var member in next.Fields.Where(f => f.Record is not null))
                {
                    pending.Push(member.Record!);
                }
            }
        }

        return reachable.Values;
    }

    public void Read(IEnumerable<CXCursor> topLevel)
    {
        foreach (var cursor in topLevel)
        {
            if (cursor.Kind is not (CXCursorKind.StructDecl or CXCursorKind.UnionDecl)
                || LibClang.IsCursorDefinition(cursor) == 0)
            {
                continue;
            }

            var header = sources.HeaderOf(TranslationUnit.Location(cursor).File);
            var cType = TypeSpelling(LibClang.GetCursorType(cursor));
            if (header is null || IsUnnamed(cType))
            {
                continue;
            }

            try
            {
                roots.Add(Build(cursor, cType, header));
            }
            catch (UnsupportedTypeException e)
            {
                skipped.Add(new SkippedType(cType, header, e.Message));
            }
        }
    }

    /// <summary>The C# name of a tagged or typedef'd record: ctdb_req_control_old -> CtdbReqControl.</summary>
    private static string CsNameOf(string cType) =>
        Naming.TypeName(cType.StartsWith("struct ", StringComparison.Ordinal) ? cType[7..]
                        : cType.StartsWith("union ", StringComparison.Ordinal) ? cType[6..]
                        : cType);

    // clang spells unnamed records "struct (unnamed at file:line:col)"; typedef'd ones by the typedef name.
    private static bool IsUnnamed(string cType) => cType.Contains('(', StringComparison.Ordinal);

    // Unnamed records are spelt with their absolute source path: keep output free of machine paths.
    private static string TypeSpelling(CXType type) => CleanSpelling(LibClang.TakeString(LibClang.GetTypeSpelling(type)));

    private static string CleanSpelling(string spelling) =>
        UnnamedRecord().Replace(spelling, m => m.Value.StartsWith(' ') ? " {...}" : "(unnamed)");

    [GeneratedRegex(@" ?\((?:unnamed|anonymous)[^)]*\)")]
    private static partial Regex UnnamedRecord();

    /// <summary>A C declaration: <c>uint32_t pnn</c>, <c>char name[18]</c>.</summary>
    private static string Declaration(string typeSpelling, string name)
    {
        var bracket = typeSpelling.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? $"{typeSpelling} {name}" : $"{typeSpelling[..bracket].TrimEnd()} {name}{typeSpelling[bracket..]}";
    }

    private StructModel Build(CXCursor declaration, string cType, string header, string? csName = null, string? description = null,
                              bool fromCLibrary = false)
    {
        if (built.TryGetValue(cType, out var done))
        {
            return done;
        }

        if (failed.TryGetValue(cType, out var reason))
        {
            throw new UnsupportedTypeException(reason);
        }

        try
        {
            var model = declaration.Kind == CXCursorKind.UnionDecl
                ? BuildUnion(declaration, cType, header, csName, description)
                : BuildStruct(declaration, cType, header, csName, description);
            model = model with { FromCLibrary = fromCLibrary };
            built.Add(cType, model);
            return model;
        }
        catch (UnsupportedTypeException e)
        {
            failed[cType] = e.Message;
            throw;
        }
    }

    private static StructModel BuildUnion(CXCursor declaration, string cType, string header, string? csName, string? description)
    {
        var type = LibClang.GetCanonicalType(LibClang.GetCursorType(declaration));
        if (ContainsPointer(type))
        {
            throw new UnsupportedTypeException("has pointer members");
        }

        return new StructModel(cType, csName ?? CsNameOf(cType), description ?? cType, header, IsUnion: true,
            LibClang.TypeGetSizeOf(type), LibClang.TypeGetAlignOf(type), [], null, Overlapping: true);
    }

    private StructModel BuildStruct(CXCursor declaration, string cType, string header, string? csName, string? description)
    {
        var type = LibClang.GetCanonicalType(LibClang.GetCursorType(declaration));
        var name = csName ?? CsNameOf(cType);
        var fields = new List<FieldModel>();
        TrailingArrayModel? trailing = null;
        var members = TranslationUnit.Children(declaration);
        var lastField = members.FindLastIndex(m => m.Kind == CXCursorKind.FieldDecl);
        for (var index = 0; index < members.Count; index++)
        {
            var member = members[index];
            if (member.Kind is CXCursorKind.StructDecl or CXCursorKind.UnionDecl)
            {
                if (LibClang.CursorIsAnonymousRecordDecl(member) != 0)
                {
                    // union { ... }; without a name: its members belong to this struct, at shared offsets.
                    AddAnonymousMembers(member, type, fields, cType, name, header);
                }

                continue;
            }

            if (member.Kind != CXCursorKind.FieldDecl)
            {
                continue;
            }

            var fieldName = TranslationUnit.Spelling(member);
            var fieldType = LibClang.GetCursorType(member);
            var canonical = LibClang.GetCanonicalType(fieldType);
            var offset = LibClang.TypeGetOffsetOf(type, fieldName) / 8;
            if (index == lastField && IsTrailingArray(canonical))
            {
                trailing = new TrailingArrayModel(fieldName, offset, Declaration(TypeSpelling(fieldType), fieldName));
                continue;
            }

            fields.Add(BuildField(member, fieldName, offset, cType, name, header));
        }

        var overlapping = fields.Zip(fields.Skip(1)).Any(pair => pair.Second.Offset <= pair.First.Offset);
        return new StructModel(cType, name, description ?? cType, header, IsUnion: false,
            LibClang.TypeGetSizeOf(type), LibClang.TypeGetAlignOf(type), fields, trailing, overlapping);
    }

    private void AddAnonymousMembers(CXCursor record, CXType outer, List<FieldModel> fields, string outerCType, string outerName, string header)
    {
        foreach (var member in TranslationUnit.Children(record))
        {
            if (member.Kind is CXCursorKind.StructDecl or CXCursorKind.UnionDecl && LibClang.CursorIsAnonymousRecordDecl(member) != 0)
            {
                AddAnonymousMembers(member, outer, fields, outerCType, outerName, header);
            }
            else if (member.Kind == CXCursorKind.FieldDecl)
            {
                var fieldName = TranslationUnit.Spelling(member);
                fields.Add(BuildField(member, fieldName, LibClang.TypeGetOffsetOf(outer, fieldName) / 8, outerCType, outerName, header));
            }
        }
    }

    private FieldModel BuildField(CXCursor member, string fieldName, long offset, string ownerCType, string ownerName, string header)
    {
        if (LibClang.CursorIsBitField(member) != 0)
        {
            throw new UnsupportedTypeException($"bit-field {fieldName}");
        }

        var fieldType = LibClang.GetCursorType(member);
        var spelling = TypeSpelling(fieldType);
        var cDeclaration = Declaration(spelling, fieldName);
        var canonical = LibClang.GetCanonicalType(fieldType);
        var csField = Naming.Pascal(fieldName);
        if (csField == ownerName)
        {
            throw new UnsupportedTypeException($"member {fieldName} would have its struct's C# name");
        }

        switch (canonical.Kind)
        {
            case CXTypeKind.ConstantArray:
            {
                var element = LibClang.GetCanonicalType(LibClang.GetArrayElementType(canonical));
                var scalar = ScalarType.FromClang(element)
                             ?? throw new UnsupportedTypeException($"member {fieldName}: array of {TypeSpelling(element)}");
                // char arrays hold text: bytes, whatever the sign of C's char.
                var keyword = element.Kind == CXTypeKind.CharS ? "byte" : scalar.CsKeyword;
                return new FieldModel(fieldName, csField, offset, keyword, LibClang.GetArraySize(canonical), cDeclaration, null);
            }

            case CXTypeKind.Record:
            {
                var declaration = LibClang.GetTypeDeclaration(canonical);
                var cType = TypeSpelling(canonical);
                StructModel nested;
                try
                {
                    if (IsUnnamed(cType))
                    {
                        // struct { ... } node;  -> a type of its own, named after owner and member.
                        var nestedCType = $"__typeof__((({ownerCType} *)0)->{fieldName})";
                        nested = Build(declaration, nestedCType, header, ownerName + csField,
                                       $"the unnamed type of {ownerCType} member {fieldName}");
                    }
                    else
                    {
                        var home = sources.HeaderOf(TranslationUnit.Location(declaration).File);
                        nested = Build(declaration, cType, home ?? header, fromCLibrary: home is null);
                    }
                }
                catch (UnsupportedTypeException e)
                {
                    throw new UnsupportedTypeException($"member {fieldName} ({spelling}) {e.Message}");
                }

                return new FieldModel(fieldName, csField, offset, nested.CsName, null, cDeclaration, null, nested);
            }

            case CXTypeKind.Enum:
            {
                var declaration = LibClang.GetTypeDeclaration(canonical);
                if (enumNames.TryGetValue(TranslationUnit.Spelling(declaration), out var enumName))
                {
                    return new FieldModel(fieldName, csField, offset, enumName, null, cDeclaration, null);
                }

                var underlying = ScalarType.FromClang(LibClang.GetCanonicalType(LibClang.GetEnumDeclIntegerType(declaration)))!;
                return new FieldModel(fieldName, csField, offset, underlying.CsKeyword, null, cDeclaration, null);
            }

            default:
            {
                var scalar = ScalarType.FromClang(canonical)
                             ?? throw new UnsupportedTypeException($"member {fieldName} has type {spelling}"
                                                                   + (canonical.Kind == CXTypeKind.Pointer ? " (a pointer)" : string.Empty));
                var note = canonical.Kind == CXTypeKind.Bool ? "C bool: 0 or 1" : null;
                return new FieldModel(fieldName, csField, offset, scalar.CsKeyword, null, cDeclaration, note);
            }
        }
    }

    private static bool IsTrailingArray(CXType canonical) =>
        canonical.Kind == CXTypeKind.IncompleteArray
        || (canonical.Kind == CXTypeKind.ConstantArray && LibClang.GetArraySize(canonical) <= 1);

    private static bool ContainsPointer(CXType canonical)
    {
        switch (canonical.Kind)
        {
            case CXTypeKind.Pointer:
                return true;
            case CXTypeKind.ConstantArray or CXTypeKind.IncompleteArray:
                return ContainsPointer(LibClang.GetCanonicalType(LibClang.GetArrayElementType(canonical)));
            case CXTypeKind.Record:
                return ContainsPointerInMembers(LibClang.GetTypeDeclaration(canonical));
            default:
                return false;
        }
    }

    private static bool ContainsPointerInMembers(CXCursor record) =>
        TranslationUnit.Children(record).Any(m => m.Kind switch
        {
            CXCursorKind.FieldDecl => ContainsPointer(LibClang.GetCanonicalType(LibClang.GetCursorType(m))),
            CXCursorKind.StructDecl or CXCursorKind.UnionDecl => ContainsPointerInMembers(m),
            _ => false,
        });
}
