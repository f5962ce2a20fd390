namespace CtdbInterop.Bindings.Generator.Clang;

/// <summary>Finds clang 14's resource directory (its builtin headers such as stddef.h).</summary>
internal static class ClangResourceDirectory
{
    // libclang-common-14-dev installs the headers under the LLVM prefix; /usr/lib/clang is a symlink farm.
    private static readonly string[] Roots = ["/usr/lib/llvm-14/lib/clang", "/usr/lib/clang"];

    public static string Find()
    {
        foreach (var root in Roots)
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            // Highest version first, so a point release installed beside 14.0.6 wins.
            var candidates = Directory.GetDirectories(root)
                .Where(dir => Path.GetFileName(dir).StartsWith("14", StringComparison.Ordinal))
                .Where(dir => File.Exists(Path.Combine(dir, "include", "stddef.h")))
                .OrderByDescending(dir => Version.TryParse(Path.GetFileName(dir), out var v) ? v : new Version(0, 0))
                .ThenByDescending(dir => dir, StringComparer.Ordinal);
            var found = candidates.FirstOrDefault();
            if (found is not null)
            {
                return found;
            }
        }

        throw new DirectoryNotFoundException(
            "clang 14 builtin headers not found (install libclang-common-14-dev: run scripts/bootstrap.sh)");
    }
}
