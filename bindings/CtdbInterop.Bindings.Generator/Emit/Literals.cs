using System.Globalization;
using CtdbInterop.Bindings.Generator.Model;

namespace CtdbInterop.Bindings.Generator.Emit;

/// <summary>C# integer literals for a given type.</summary>
internal static class Literals
{
    public static string Integer(Int128 value, ScalarType type, bool hex)
    {
        if (value > type.MaxValue || value < type.MinValue)
        {
            throw new InvalidOperationException($"{value} does not fit {type.CsKeyword}");
        }

        if (hex && value >= 0)
        {
            var digits = Math.Max(type.Size * 2, 2);
            // A hex literal takes the first of int, uint, long, ulong that holds it: no suffix needed.
            return "0x" + ((UInt128)value).ToString("X" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }
}
