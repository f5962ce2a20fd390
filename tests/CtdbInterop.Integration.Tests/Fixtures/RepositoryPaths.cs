namespace CtdbInterop.Integration.Tests.Fixtures;

internal static class RepositoryPaths
{
    /// <summary>The checkout's root: the first ancestor of the test binary holding CtdbInterop.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Script(string name) => Path.Combine(Root, "scripts", name);

    private static string FindRoot()
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
