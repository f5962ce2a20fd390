using System.Globalization;

namespace CtdbInterop.GoldenRecorder;

/// <summary>Parses command-line numbers, decimal or 0x-prefixed hex.</summary>
internal static class Numbers
{
    public static uint ParseUInt32(string s) => (uint)ParseUInt64(s, uint.MaxValue);

    public static ulong ParseUInt64(string s) => ParseUInt64(s, ulong.MaxValue);

    private static ulong ParseUInt64(string s, ulong max)
    {
        var value = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : ulong.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
        return value <= max ? value : throw new FormatException($"{s} is out of range");
    }
}
