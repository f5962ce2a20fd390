namespace CtdbInterop.Recoverd.Core.Domain;

/// <summary>Lists the per-second paths build only when they have something to put in them (issue 7).</summary>
internal static class ListExtensions
{
    /// <summary>
    /// The list, or the shared empty array when it was never created. Safe because no caller
    /// mutates a list a decision returns: they are read-only views.
    /// </summary>
    public static IReadOnlyList<T> OrEmpty<T>(this List<T>? list) => list is null ? Array.Empty<T>() : list;
}
