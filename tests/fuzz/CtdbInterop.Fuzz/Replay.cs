namespace CtdbInterop.Fuzz;

/// <summary>Runs saved inputs once each, outside afl-fuzz, and reports the ones that crash.</summary>
internal static class Replay
{
    /// <returns>0 when no input crashed, 1 otherwise.</returns>
    public static int Run(IEnumerable<string> paths, TextWriter output)
    {
        var files = paths.SelectMany(Expand).Order(StringComparer.Ordinal).ToList();
        var crashes = 0;
        foreach (var file in files)
        {
            try
            {
                FuzzInput.Run(File.ReadAllBytes(file));
            }
#pragma warning disable CA1031 // Any exception is what is being looked for: report it and go on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                crashes++;
                output.WriteLine($"CRASH {file}: {e.GetType().FullName}: {e.Message}");
                output.WriteLine(e.StackTrace);
            }
        }

        output.WriteLine($"replayed {files.Count} input(s), {crashes} crash(es)");
        return crashes == 0 ? 0 : 1;
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".txt", StringComparison.Ordinal))
            : [path];
}
