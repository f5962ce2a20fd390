using CtdbInterop.Bindings.Generator.Model;

namespace CtdbInterop.Bindings.Generator.Emit;

/// <summary>A comment-only file listing the C types that have no generated counterpart, and why.</summary>
internal static class NotGeneratedEmitter
{
    public const string FileName = "NotGenerated.g.cs";

    public static GeneratedFile Emit(CtdbSources sources, IReadOnlyList<SkippedType> skipped)
    {
        var writer = GeneratedFile.StartCSharp(sources, CtdbSources.Headers, "types without a generated counterpart");
        writer.Line("// These C types have no exact blittable C# form (pointers, TDB_DATA, arrays of records,");
        writer.Line("// or a name already taken by the wire-format _old variant). Nothing is emitted for them;");
        writer.Line("// hand-written codecs handle the ones that travel on the wire.");
        writer.Line("//");
        foreach (var type in skipped)
        {
            writer.Line($"//   {type.Description} ({type.Header}): {type.Reason}");
        }

        return new GeneratedFile(FileName, writer.ToString());
    }
}
