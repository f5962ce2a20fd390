using CtdbInterop.Bindings.Generator.Clang;
using CtdbInterop.Bindings.Generator.Model;

namespace CtdbInterop.Bindings.Generator;

/// <summary>Collects the named enums declared in the bound headers, with clang's values.</summary>
internal static class EnumReader
{
    public static List<EnumModel> Read(CtdbSources sources, IEnumerable<CXCursor> topLevel)
    {
        var enums = new List<EnumModel>();
        foreach (var cursor in topLevel)
        {
            if (cursor.Kind != CXCursorKind.EnumDecl || LibClang.IsCursorDefinition(cursor) == 0)
            {
                continue;
            }

            var header = sources.HeaderOf(TranslationUnit.Location(cursor).File);
            var name = TranslationUnit.Spelling(cursor);
            if (header is null || LibClang.CursorIsAnonymous(cursor) != 0)
            {
                continue;
            }

            var underlying = ScalarType.FromClang(LibClang.GetCanonicalType(LibClang.GetEnumDeclIntegerType(cursor)))
                             ?? throw new InvalidOperationException($"enum {name}: unsupported integer type");
            var members = TranslationUnit.Children(cursor)
                .Where(c => c.Kind == CXCursorKind.EnumConstantDecl)
                .Select(c => new EnumMemberModel(
                    TranslationUnit.Spelling(c),
                    underlying.Signed ? LibClang.GetEnumConstantDeclValue(c) : LibClang.GetEnumConstantDeclUnsignedValue(c)))
                .ToList();
            enums.Add(new EnumModel(name, header, underlying, members));
        }

        return enums;
    }
}
