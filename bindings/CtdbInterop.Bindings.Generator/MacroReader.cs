using System.Globalization;
using System.Text;
using CtdbInterop.Bindings.Generator.Clang;
using CtdbInterop.Bindings.Generator.Model;

namespace CtdbInterop.Bindings.Generator;

/// <summary>
/// Lists the object-like macros defined in the bound headers, then lets clang evaluate each one
/// in a second synthetic file: <c>static const __typeof__(NAME) ctdbgen_NAME = (NAME);</c>.
/// </summary>
internal static class MacroReader
{
    private const string VariablePrefix = "ctdbgen_";

    public static List<MacroModel> Read(ClangSession session, TranslationUnit unit, IEnumerable<CXCursor> topLevel)
    {
        var macros = new List<MacroModel>();
        foreach (var cursor in topLevel)
        {
            if (cursor.Kind != CXCursorKind.MacroDefinition
                || LibClang.CursorIsMacroBuiltin(cursor) != 0
                || LibClang.CursorIsMacroFunctionLike(cursor) != 0)
            {
                continue;
            }

            var (file, line) = TranslationUnit.Location(cursor);
            var header = session.Sources.HeaderOf(file);
            if (header is null)
            {
                continue;
            }

            var tokens = unit.Tokens(cursor);
            var body = tokens.Skip(1).Select(t => t.Text).ToList();
            var macro = new MacroModel(TranslationUnit.Spelling(cursor), header, line, body);
            if (body.Count == 0)
            {
                macro = macro with { SkipReason = "empty (include guard)" };
            }
            else if (body.Count == 1 && tokens[1].Kind == CXTokenKind.Literal && body[0].StartsWith('"'))
            {
                macro = macro with { StringValue = Unquote(body[0]) };
            }

            macros.Add(macro);
        }

        // Header order, then line: stable whatever order the preprocessing record used.
        macros.Sort((a, b) =>
        {
            var byHeader = CtdbSources.HeaderIndex(a.Header).CompareTo(CtdbSources.HeaderIndex(b.Header));
            return byHeader != 0 ? byHeader : a.Line.CompareTo(b.Line);
        });
        return Evaluate(session, MarkHex(macros));
    }

    // A macro built from hex macros (NODE_FLAGS_INACTIVE = A|B|...) is shown in hex too.
    private static List<MacroModel> MarkHex(List<MacroModel> macros)
    {
        var hex = new HashSet<string>(StringComparer.Ordinal);
        foreach (var macro in macros)
        {
            if (macro.BodyTokens.Any(t => t.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Contains(t)))
            {
                hex.Add(macro.Name);
            }
        }

        return macros.Select(m => m with { WrittenInHex = hex.Contains(m.Name) }).ToList();
    }

    private static List<MacroModel> Evaluate(ClangSession session, List<MacroModel> macros)
    {
        var pending = macros.Where(m => m.SkipReason is null && m.StringValue is null).ToList();
        var source = new StringBuilder(CtdbSources.Prologue());
        var prologueLines = source.ToString().Count(c => c == '\n');
        var lineOf = new Dictionary<uint, string>();
        foreach (var macro in pending)
        {
            lineOf[(uint)(prologueLines + lineOf.Count + 1)] = macro.Name;
            source.Append(CultureInfo.InvariantCulture,
                $"static const __typeof__({macro.Name}) {VariablePrefix}{macro.Name} = ({macro.Name});\n");
        }

        using var unit = session.Parse(source.ToString(), CXTranslationUnitFlags.None);
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var error in unit.Errors())
        {
            if (error.File == session.MainFilePath && lineOf.TryGetValue(error.Line, out var name))
            {
                failed.TryAdd(name, "not a constant expression: " + error.Text);
            }
            else
            {
                throw new InvalidOperationException("clang error outside the evaluation lines: " + error.Text);
            }
        }

        var results = new Dictionary<string, MacroModel>(StringComparer.Ordinal);
        foreach (var cursor in TranslationUnit.Children(unit.Root))
        {
            var name = TranslationUnit.Spelling(cursor);
            if (cursor.Kind != CXCursorKind.VarDecl || !name.StartsWith(VariablePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var macroName = name[VariablePrefix.Length..];
            results[macroName] = EvaluateVariable(cursor, macros.First(m => m.Name == macroName));
        }

        return macros
            .Select(m => failed.TryGetValue(m.Name, out var reason) ? m with { SkipReason = reason }
                       : results.TryGetValue(m.Name, out var evaluated) ? evaluated
                       : m)
            .ToList();
    }

    private static MacroModel EvaluateVariable(CXCursor variable, MacroModel macro)
    {
        var type = ScalarType.FromClang(LibClang.GetCanonicalType(LibClang.GetCursorType(variable)));
        if (type is null || !type.IsInteger)
        {
            var spelling = LibClang.TakeString(LibClang.GetTypeSpelling(LibClang.GetCursorType(variable)));
            return macro with { SkipReason = $"not an integer (type {spelling})" };
        }

        var result = LibClang.CursorEvaluate(variable);
        if (result == IntPtr.Zero)
        {
            return macro with { SkipReason = "clang could not evaluate it" };
        }

        try
        {
            if (LibClang.EvalResultGetKind(result) != CXEvalResultKind.Int)
            {
                return macro with { SkipReason = $"evaluates to {LibClang.EvalResultGetKind(result)}, not an integer" };
            }

            Int128 value = LibClang.EvalResultIsUnsignedInt(result) != 0
                ? LibClang.EvalResultGetAsUnsigned(result)
                : LibClang.EvalResultGetAsLongLong(result);
            if (value > type.MaxValue || value < type.MinValue)
            {
                throw new InvalidOperationException($"{macro.Name}: value {value} does not fit its C type {type.CsKeyword}");
            }

            return macro with { IntegerValue = value, IntegerType = type };
        }
        finally
        {
            LibClang.EvalResultDispose(result);
        }
    }

    /// <summary>Decodes a plain C string literal (no prefixes); escapes other than \\ and \" are refused.</summary>
    private static string Unquote(string literal)
    {
        var inner = literal[1..^1];
        if (inner.Contains('\\', StringComparison.Ordinal))
        {
            throw new NotSupportedException($"string macro with escapes: {literal}");
        }

        return inner;
    }
}
