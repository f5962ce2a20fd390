using System.Globalization;
using CtdbInterop.Bindings.Generator.Model;

namespace CtdbInterop.Bindings.Generator.Emit;

/// <summary>Blittable C# structs with the C layout: sequential, or explicit offsets where members overlap.</summary>
internal static class StructEmitter
{
    public static GeneratedFile Emit(CtdbSources sources, StructModel model)
    {
        var what = model.FromCLibrary ? $"{model.Description}, a C library type these headers use" : model.Description;
        var writer = GeneratedFile.StartCSharp(sources, [model.Header], what, "System.Runtime.InteropServices");
        var modifiers = model.NeedsUnsafe ? "public unsafe partial struct" : "public partial struct";
        if (model.IsUnion)
        {
            EmitUnion(writer, model, modifiers);
        }
        else
        {
            EmitStruct(writer, model, modifiers);
        }

        return new GeneratedFile(model.CsName + ".g.cs", writer.ToString());
    }

    private static void EmitStruct(CodeWriter writer, StructModel model, string modifiers)
    {
        writer.Line(Invariant($"/// <summary>C: <c>{model.Description}</c>; {model.Size} bytes in C, {model.Align}-byte aligned.</summary>"));
        if (model.Trailing is { } tail)
        {
            writer.Line(Invariant($"/// <remarks>The C struct ends in the variable-length <c>{tail.CDeclaration}</c>,"));
            writer.Line("/// which is not a field here: it starts at <see cref=\"FixedSize\"/>.</remarks>");
        }

        writer.Line(model.Overlapping
            ? Invariant($"[StructLayout(LayoutKind.Explicit, Size = {model.Size})]")
            : "[StructLayout(LayoutKind.Sequential)]");
        writer.Open($"{modifiers} {model.CsName}");
        if (model.Trailing is { } trailing)
        {
            writer.Line(Invariant($"/// <summary>Offset of the trailing <c>{trailing.CName}</c> array: the size of the fixed part.</summary>"));
            writer.Line(Invariant($"public const int FixedSize = {trailing.Offset};"));
            writer.Line();
        }

        foreach (var field in model.Fields)
        {
            var note = field.Note is null ? string.Empty : $" ({field.Note})";
            writer.Line($"/// <summary><c>{field.CDeclaration}</c>{note}</summary>");
            var offset = model.Overlapping ? Invariant($"[FieldOffset({field.Offset})] ") : string.Empty;
            writer.Line(field.FixedLength is { } length
                ? Invariant($"{offset}public fixed {field.CsType} {field.CsName}[{length}];")
                : $"{offset}public {field.CsType} {field.CsName};");
        }

        writer.Close();
    }

    private static void EmitUnion(CodeWriter writer, StructModel model, string modifiers)
    {
        var word = model.Align switch
        {
            1 => null,
            2 => "ushort",
            4 => "uint",
            8 => "ulong",
            _ => throw new InvalidOperationException($"{model.Description}: alignment {model.Align}"),
        };
        if (model.Size % model.Align != 0)
        {
            throw new InvalidOperationException($"{model.Description}: size {model.Size} is not a multiple of its alignment");
        }

        writer.Line(Invariant($"/// <summary>C: <c>{model.Description}</c>, a union of {model.Size} bytes, {model.Align}-byte aligned,"));
        writer.Line("/// kept as raw storage (its members are C library socket address types).</summary>");
        writer.Line(Invariant($"[StructLayout(LayoutKind.Explicit, Size = {model.Size})]"));
        writer.Open($"{modifiers} {model.CsName}");
        writer.Line("/// <summary>The union's bytes.</summary>");
        writer.Line(Invariant($"[FieldOffset(0)] public fixed byte Bytes[{model.Size}];"));
        if (word is not null)
        {
            writer.Line("/// <summary>The same storage as words of the union's alignment (which they give the struct).</summary>");
            writer.Line(Invariant($"[FieldOffset(0)] public fixed {word} Words[{model.Size / model.Align}];"));
        }

        writer.Close();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
