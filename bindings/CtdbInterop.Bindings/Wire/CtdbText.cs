using System.Text;

namespace CtdbInterop.Bindings.Wire;

/// <summary>C strings on the wire: UTF-8 (in practice ASCII), ending at the first NUL if there is one.</summary>
internal static class CtdbText
{
    public static string FromBytes(ReadOnlySpan<byte> bytes)
    {
        var nul = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
    }
}
