namespace CtdbInterop.Recoverd.Tests.Support;

/// <summary>Expected sequences written inline (params avoid a constant array at every call site).</summary>
internal static class Expect
{
    public static string[] Lines(params string[] lines) => lines;

    public static uint[] Pnns(params uint[] pnns) => pnns;
}
