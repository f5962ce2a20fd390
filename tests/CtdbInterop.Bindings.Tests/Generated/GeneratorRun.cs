using CtdbInterop.Bindings.Generator;

namespace CtdbInterop.Bindings.Tests.Generated;

/// <summary>One in-process run of the binding generator on the bootstrapped Samba tree, shared by the tests.</summary>
internal static class GeneratorRun
{
    /// <summary>The directory holding CtdbInterop.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static readonly Lazy<CtdbSources> LazySources = new(() =>
    {
        var bootstrap = Path.Combine(RepositoryRoot, "scripts", "bootstrap.sh");
        var (exit, output, error) = ProcessRunner.Run("bash", [bootstrap], TimeSpan.FromMinutes(10));
        if (exit != 0)
        {
            throw new InvalidOperationException($"scripts/bootstrap.sh failed ({exit}): {error}");
        }

        var sambaDir = output.Trim();
        return new CtdbSources(sambaDir, CtdbSources.VersionFromDirectoryName(sambaDir));
    });

    private static readonly Lazy<GenerationResult> LazyResult = new(() => BindingGenerator.Generate(Sources));

    public static string CommittedDirectory =>
        Path.Combine(RepositoryRoot, "bindings", "CtdbInterop.Bindings", "Generated");

    public static CtdbSources Sources => LazySources.Value;

    public static GenerationResult Result => LazyResult.Value;

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CtdbInterop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no CtdbInterop.sln above {AppContext.BaseDirectory}");
    }
}
