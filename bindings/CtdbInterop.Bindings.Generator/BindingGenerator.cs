using CtdbInterop.Bindings.Generator.Clang;
using CtdbInterop.Bindings.Generator.Emit;
using CtdbInterop.Bindings.Generator.Model;

namespace CtdbInterop.Bindings.Generator;

/// <summary>Reads ctdb's headers through libclang and produces the generated C# files and the layout probe.</summary>
internal static class BindingGenerator
{
    public static GenerationResult Generate(CtdbSources sources)
    {
        var model = Read(sources);
        var files = new List<GeneratedFile>();
        files.AddRange(model.Enums.Select(e => EnumEmitter.Emit(sources, e)));
        files.AddRange(EmitConstantGroups(sources, model));
        files.AddRange(model.Structs.Select(s => StructEmitter.Emit(sources, s)));
        files.Add(NotGeneratedEmitter.Emit(sources, model.SkippedTypes));

        var duplicate = files.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"two generated types share the file {duplicate.Key}");
        }

        return new GenerationResult(
            files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList(),
            LayoutProbeEmitter.Emit(sources, model));
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

    private static BindingModel Read(CtdbSources sources)
    {
        var session = new ClangSession(sources);
        using var unit = session.Parse(CtdbSources.Prologue(), CXTranslationUnitFlags.DetailedPreprocessingRecord);
        ClangSession.ThrowOnErrors(unit, "ctdb's headers");
        var topLevel = TranslationUnit.Children(unit.Root);

        var enums = EnumReader.Read(sources, topLevel);
        var macros = MacroReader.Read(session, unit, topLevel);
        var structReader = new StructReader(sources, enums.ToDictionary(e => e.CName, EnumEmitter.CsName, StringComparer.Ordinal));
        structReader.Read(topLevel);
        var (structs, skippedTypes) = ResolveNameClashes(structReader.ReachableStructs(), structReader.Skipped);

        var constants = new List<ConstantModel>();
        var skippedMacros = new List<MacroModel>();
        foreach (var macro in macros)
        {
            if (macro.SkipReason is not null)
            {
                skippedMacros.Add(macro);
                continue;
            }

            var group = ConstantGroup.All.First(g => g.MemberName(macro.Name) is not null);
            if (macro.StringValue is not null && group.Kind != ConstantGroupKind.StaticClass)
            {
                throw new InvalidOperationException($"string macro {macro.Name} in the {group.CsName} family");
            }

            constants.Add(new ConstantModel(group, macro, group.MemberName(macro.Name)!));
        }

        return new BindingModel(enums, constants, skippedMacros, structs, skippedTypes);
    }

    /// <summary>
    /// ctdb keeps wire-format structs as *_old beside newer in-memory ones of the same name; when
    /// both are blittable the _old one gets the name and the other is listed as not generated.
    /// </summary>
    private static (List<StructModel>, List<SkippedType>) ResolveNameClashes(
        IEnumerable<StructModel> structs, IEnumerable<SkippedType> skipped)
    {
        var kept = new List<StructModel>();
        var dropped = skipped.ToList();
        foreach (var clash in structs.GroupBy(s => s.CsName, StringComparer.Ordinal))
        {
            var candidates = clash.ToList();
            var winner = candidates.Count == 1 ? candidates[0]
                : candidates.SingleOrDefault(s => s.CType.EndsWith("_old", StringComparison.Ordinal))
                  ?? throw new InvalidOperationException($"C# name {clash.Key} fits {string.Join(", ", candidates.Select(c => c.CType))}");
            kept.Add(winner);
            dropped.AddRange(candidates.Where(c => c != winner)
                .Select(c => new SkippedType(c.CType, c.Header, $"its name {c.CsName} is taken by {winner.CType}")));
        }

        foreach (var model in kept)
        {
            foreach (var field in model.Fields.Where(f => f.Record is not null && !kept.Contains(f.Record)))
            {
                throw new InvalidOperationException($"{model.CType}.{field.CDesignator} uses the dropped {field.Record!.CType}");
            }
        }

        return (kept.OrderBy(k => k.CsName, StringComparer.Ordinal).ToList(),
                dropped.OrderBy(d => CtdbSources.HeaderIndex(d.Header)).ThenBy(d => d.Description, StringComparer.Ordinal).ToList());
    }

    private static IEnumerable<GeneratedFile> EmitConstantGroups(CtdbSources sources, BindingModel model)
    {
        var catchAll = ConstantGroup.All[^1];
        return ConstantGroup.All
            .Select(g => (Group: g, Members: model.Constants.Where(c => c.Group == g).ToList()))
            .Where(g => g.Members.Count > 0)
            .Select(g => ConstantGroupEmitter.Emit(sources, g.Group, g.Members, g.Group == catchAll ? model.SkippedMacros : []));
    }
}

/// <summary>The generated C# files and the C source of the layout probe built from the same model.</summary>
internal sealed record GenerationResult(IReadOnlyList<GeneratedFile> Files, string LayoutProbeSource);
