using CtdbInterop.Bindings.Generator.Model;

namespace CtdbInterop.Bindings.Generator.Emit;

/// <summary>C enums become C# enums with the same underlying type and explicit values.</summary>
internal static class EnumEmitter
{
    // The naming contract uses the singular for this one tag.
    private static readonly Dictionary<string, string> NameOverrides = new(StringComparer.Ordinal)
    {
        ["ctdb_controls"] = "CtdbControl",
    };

    public static string CsName(EnumModel model) =>
        NameOverrides.TryGetValue(model.CName, out var name) ? name : Naming.TypeName(model.CName);

    public static IReadOnlyDictionary<string, string> MemberNames(EnumModel model)
    {
        var prefix = Naming.CommonWordPrefix(model.Members.Select(m => m.CName).ToList());
        return model.Members.ToDictionary(m => m.CName, m => Naming.Pascal(m.CName[prefix.Length..]), StringComparer.Ordinal);
    }

    public static GeneratedFile Emit(CtdbSources sources, EnumModel model)
    {
        var name = CsName(model);
        var members = MemberNames(model);
        var writer = GeneratedFile.StartCSharp(sources, [model.Header], $"enum {model.CName}");
        writer.Line($"/// <summary>C: <c>enum {model.CName}</c>.</summary>");
        writer.Open($"public enum {name} : {model.Underlying.CsKeyword}");
        foreach (var member in model.Members)
        {
            writer.Line($"/// <summary><c>{member.CName}</c></summary>");
            writer.Line($"{members[member.CName]} = {Literals.Integer(member.Value, model.Underlying, hex: false)},");
        }

        writer.Close();
        return new GeneratedFile(name + ".g.cs", writer.ToString());
    }
}
