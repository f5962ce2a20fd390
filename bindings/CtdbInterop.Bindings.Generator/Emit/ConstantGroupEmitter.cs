using CtdbInterop.Bindings.Generator.Model;

namespace CtdbInterop.Bindings.Generator.Emit;

/// <summary>Families of #defines as static classes of constants or as (flags) enums.</summary>
internal static class ConstantGroupEmitter
{
    public static GeneratedFile Emit(CtdbSources sources, ConstantGroup group, IReadOnlyList<ConstantModel> members,
                                     IReadOnlyList<MacroModel> skipped)
    {
        var headers = members.Select(m => m.Macro.Header).Concat(skipped.Select(m => m.Header))
            .OrderBy(CtdbSources.HeaderIndex).Distinct().ToList();
        var prefixes = group.Prefixes.Where(p => p.Prefix.Length > 0).Select(p => p.Prefix + "*").ToList();
        var what = group.Prefixes.Any(p => p.Prefix.Length == 0)
            ? "the other integer and string #defines"
            : "the #defines " + string.Join(", ", prefixes);
        var writer = GeneratedFile.StartCSharp(sources, headers, what);
        if (skipped.Count > 0)
        {
            writer.Line("// Not generated (no integer or string constant):");
            foreach (var macro in skipped)
            {
                writer.Line($"//   {macro.Name} ({macro.Header}:{macro.Line}): {macro.SkipReason}");
            }

            writer.Line();
        }

        switch (group.Kind)
        {
            case ConstantGroupKind.StaticClass:
                writer.Open($"public static partial class {group.CsName}");
                foreach (var (_, macro, name) in members)
                {
                    writer.Line($"/// <summary><c>{macro.Name}</c></summary>");
                    if (macro.StringValue is { } text)
                    {
                        writer.Line($"public const string {name} = \"{text}\";");
                        continue;
                    }

                    // A family with one fixed type (SRVIDs) is a set of bit patterns: always hex.
                    var type = group.Type ?? macro.IntegerType!;
                    var hex = group.Type is not null || macro.WrittenInHex;
                    writer.Line($"public const {type.CsKeyword} {name} = {Literals.Integer(macro.IntegerValue!.Value, type, hex)};");
                }

                break;
            case ConstantGroupKind.Enum:
            case ConstantGroupKind.FlagsEnum:
                if (group.Kind == ConstantGroupKind.FlagsEnum)
                {
                    writer.Line("[System.Flags]");
                }

                writer.Open($"public enum {group.CsName} : {group.Type!.CsKeyword}");
                foreach (var (_, macro, name) in members)
                {
                    writer.Line($"/// <summary><c>{macro.Name}</c></summary>");
                    var hex = group.Kind == ConstantGroupKind.FlagsEnum;
                    writer.Line($"{name} = {Literals.Integer(macro.IntegerValue!.Value, group.Type, hex)},");
                }

                break;
        }

        writer.Close();
        return new GeneratedFile(group.CsName + ".g.cs", writer.ToString());
    }
}
