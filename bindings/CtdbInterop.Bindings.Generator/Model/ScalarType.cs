using CtdbInterop.Bindings.Generator.Clang;

namespace CtdbInterop.Bindings.Generator.Model;

/// <summary>A C scalar as C# sees it: the keyword, its size and signedness.</summary>
internal sealed record ScalarType(string CsKeyword, int Size, bool Signed, bool IsFloatingPoint = false)
{
    public static readonly ScalarType Byte = new("byte", 1, false);
    public static readonly ScalarType SByte = new("sbyte", 1, true);
    public static readonly ScalarType UShort = new("ushort", 2, false);
    public static readonly ScalarType Short = new("short", 2, true);
    public static readonly ScalarType UInt = new("uint", 4, false);
    public static readonly ScalarType Int = new("int", 4, true);
    public static readonly ScalarType ULong = new("ulong", 8, false);
    public static readonly ScalarType Long = new("long", 8, true);
    public static readonly ScalarType Float = new("float", 4, true, IsFloatingPoint: true);
    public static readonly ScalarType Double = new("double", 8, true, IsFloatingPoint: true);

    public bool IsInteger => !IsFloatingPoint;

    public Int128 MinValue => Signed ? -(Int128.One << ((Size * 8) - 1)) : Int128.Zero;

    public Int128 MaxValue => Signed ? (Int128.One << ((Size * 8) - 1)) - 1 : (Int128.One << (Size * 8)) - 1;

    /// <summary>Maps a canonical clang builtin type; null when it is not a plain scalar.
    /// C's bool becomes byte so that structs stay blittable.</summary>
    public static ScalarType? FromClang(CXType canonical)
    {
        var size = LibClang.TypeGetSizeOf(canonical);
        return canonical.Kind switch
        {
            CXTypeKind.Bool or CXTypeKind.CharU or CXTypeKind.UChar => Byte,
            CXTypeKind.CharS or CXTypeKind.SChar => SByte,
            CXTypeKind.UShort => UShort,
            CXTypeKind.Short => Short,
            CXTypeKind.UInt or CXTypeKind.ULong or CXTypeKind.ULongLong => Unsigned(size),
            CXTypeKind.Int or CXTypeKind.Long or CXTypeKind.LongLong => SignedOf(size),
            CXTypeKind.Float => Float,
            CXTypeKind.Double => Double,
            _ => null,
        };
    }

    private static ScalarType? Unsigned(long size) => size switch { 4 => UInt, 8 => ULong, 2 => UShort, 1 => Byte, _ => null };

    private static ScalarType? SignedOf(long size) => size switch { 4 => Int, 8 => Long, 2 => Short, 1 => SByte, _ => null };
}
