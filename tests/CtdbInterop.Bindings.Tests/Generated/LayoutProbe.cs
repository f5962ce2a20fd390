using System.Globalization;

namespace CtdbInterop.Bindings.Tests.Generated;

/// <summary>
/// The generator's layout probe, compiled by gcc against the real ctdb headers and run once:
/// what the C compiler says about every generated struct and constant.
/// </summary>
internal sealed class LayoutProbe
{
    private static readonly Lazy<LayoutProbe> LazyInstance = new(BuildAndRun);

    private LayoutProbe(IReadOnlyList<string[]> lines)
    {
        Sizes = Pick(lines, "size", 3).ToDictionary(l => l[1], l => long.Parse(l[2], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        Alignments = Pick(lines, "align", 3).ToDictionary(l => l[1], l => long.Parse(l[2], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        FixedSizes = Pick(lines, "fixedsize", 3).ToDictionary(l => l[1], l => long.Parse(l[2], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        Offsets = Pick(lines, "offset", 4).Select(l => (l[1], l[2], long.Parse(l[3], CultureInfo.InvariantCulture))).ToList();
        Values = Pick(lines, "value", 4).Select(l => (l[1], l[2], decimal.Parse(l[3], CultureInfo.InvariantCulture))).ToList();
        Strings = Pick(lines, "string", 4).Select(l => (l[1], l[2], l[3])).ToList();
        Unions = Pick(lines, "union", 2).Select(l => l[1]).ToList();
    }

    public static LayoutProbe Instance => LazyInstance.Value;

    /// <summary>sizeof per C# struct name.</summary>
    public IReadOnlyDictionary<string, long> Sizes { get; }

    /// <summary>_Alignof per C# struct name.</summary>
    public IReadOnlyDictionary<string, long> Alignments { get; }

    /// <summary>offsetof the trailing array, per C# struct name.</summary>
    public IReadOnlyDictionary<string, long> FixedSizes { get; }

    public IReadOnlyList<(string Type, string Field, long Offset)> Offsets { get; }

    public IReadOnlyList<(string Type, string Member, decimal Value)> Values { get; }

    public IReadOnlyList<(string Type, string Member, string Text)> Strings { get; }

    /// <summary>Structs that are C unions (kept as raw storage).</summary>
    public IReadOnlyList<string> Unions { get; }

    private static IEnumerable<string[]> Pick(IEnumerable<string[]> lines, string kind, int parts) =>
        lines.Where(l => l[0] == kind).Select(l => l.Length == parts
            ? l
            : throw new FormatException($"probe line '{string.Join(' ', l)}' should have {parts} parts"));

    private static LayoutProbe BuildAndRun()
    {
        using var temp = new TempDirectory("layout-probe");
        var source = Path.Combine(temp.Path, "probe.c");
        var program = Path.Combine(temp.Path, "probe");
        File.WriteAllText(source, GeneratorRun.Result.LayoutProbeSource);

        // Same include paths and C dialect as the generator's libclang parse; gcc is the real compiler.
        var (exit, _, error) = ProcessRunner.Run("gcc",
            ["-std=gnu11", "-Wall", "-Werror", .. GeneratorRun.Sources.IncludeArguments, source, "-o", program],
            TimeSpan.FromMinutes(2));
        if (exit != 0)
        {
            throw new InvalidOperationException($"gcc could not build the layout probe:\n{error}");
        }

        var (runExit, output, runError) = ProcessRunner.Run(program, [], TimeSpan.FromSeconds(30));
        if (runExit != 0)
        {
            throw new InvalidOperationException($"layout probe failed ({runExit}): {runError}");
        }

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 4))
            .ToList();
        return new LayoutProbe(lines);
    }
}
