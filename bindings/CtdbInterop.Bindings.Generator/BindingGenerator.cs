using CtdbInterop.Bindings.Generator.Clang;
using CtdbInterop.Bindings.Generator.Emit;
using CtdbInterop.Bindings.Generator.Model;

namespace CtdbInterop.Bindings.Generator;

/// <summary>Reads ctdb's headers through libclang and produces the generated C# files.</summary>
internal static class BindingGenerator
{
    public static IReadOnlyList<GeneratedFile> Generate(CtdbSources sources)
    {
        var session = new ClangSession(sources);
        using var unit = session.Parse(CtdbSources.Prologue(), CXTranslationUnitFlags.DetailedPreprocessingRecord);
        ClangSession.ThrowOnErrors(unit, "ctdb's headers");
        var topLevel = TranslationUnit.Children(unit.Root);

        var files = new List<GeneratedFile>();
        var enums = EnumReader.Read(sources, topLevel);
        files.AddRange(enums.Select(e => EnumEmitter.Emit(sources, e)));

        var macros = MacroReader.Read(session, unit, topLevel);
        files.AddRange(EmitConstantGroups(sources, macros));

        CheckUniqueNames(files);
        return files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Replaces every *.g.cs file of <paramref name="outputDirectory"/> with <paramref name="files"/>.</summary>
    public static void Write(IReadOnlyList<GeneratedFile> files, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        foreach (var stale in Directory.GetFiles(outputDirectory, "*.g.cs"))
        {
            File.Delete(stale);
        }

        foreach (var file in files)
        {
            File.WriteAllText(Path.Combine(outputDirectory, file.Name), file.Content);
        }
    }

    private static IEnumerable<GeneratedFile> EmitConstantGroups(CtdbSources sources, IReadOnlyList<MacroModel> macros)
    {
        var members = ConstantGroup.All.ToDictionary(g => g, _ => new List<(MacroModel, string)>());
        var skipped = new List<MacroModel>();
        foreach (var macro in macros)
        {
            if (macro.SkipReason is not null)
            {
                skipped.Add(macro);
                continue;
            }

            var group = ConstantGroup.All.First(g => g.MemberName(macro.Name) is not null);
            if (macro.StringValue is not null && group.Kind != ConstantGroupKind.StaticClass)
            {
                throw new InvalidOperationException($"string macro {macro.Name} in the {group.CsName} family");
            }

            members[group].Add((macro, group.MemberName(macro.Name)!));
        }

        var catchAll = ConstantGroup.All[^1];
        return ConstantGroup.All
            .Where(g => members[g].Count > 0)
            .Select(g => ConstantGroupEmitter.Emit(sources, g, members[g], g == catchAll ? skipped : []));
    }

    private static void CheckUniqueNames(IEnumerable<GeneratedFile> files)
    {
        var duplicate = files.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"two generated types share the file {duplicate.Key}");
        }
    }
}
