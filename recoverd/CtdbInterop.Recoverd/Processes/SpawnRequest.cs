using CtdbInterop.Recoverd.Native;

namespace CtdbInterop.Recoverd.Processes;

/// <summary>A descriptor of ours that a child receives under the number <paramref name="Target"/>.</summary>
internal readonly record struct FdMapping(SafeFd Source, int Target);

/// <summary>
/// What to start: an executable path (no PATH search), the full argv (argv[0] included),
/// the complete environment, and the only descriptors above stderr the child gets.
/// </summary>
internal sealed record SpawnRequest(
    string Path,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<FdMapping> Descriptors);
