namespace CtdbInterop.Recoverd.Infrastructure.Tests.Support;

/// <summary>Expected sequences, written inline.</summary>
internal static class Expect
{
    public static string[] Lines(params string[] lines) => lines;
}
