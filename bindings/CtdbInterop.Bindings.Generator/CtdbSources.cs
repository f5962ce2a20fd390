using System.Globalization;
using System.Text;

namespace CtdbInterop.Bindings.Generator;

/// <summary>
/// Where ctdb's headers are and how to compile them: the same synthetic main file and include
/// paths serve libclang (the generator) and gcc (the layout probe the tests build).
/// </summary>
internal sealed class CtdbSources
{
    /// <summary>Headers whose contents are bound, relative to the Samba tree, in parse order.</summary>
    public static readonly IReadOnlyList<string> Headers = ["ctdb/protocol/protocol.h", "ctdb/include/ctdb_protocol.h"];

    // protocol.h relies on its includer for these (sockaddr_in, bool, pid_t, struct timeval).
    private static readonly string[] SystemIncludes =
        ["stdint.h", "stdbool.h", "sys/types.h", "sys/time.h", "netinet/in.h"];

    public CtdbSources(string sambaDir, string sambaVersion)
    {
        SambaDir = Path.GetFullPath(sambaDir);
        SambaVersion = sambaVersion;
        foreach (var header in Headers)
        {
            var path = Path.Combine(SambaDir, header);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"ctdb header not found: {path}", path);
            }
        }
    }

    public string SambaDir { get; }

    public string SambaVersion { get; }

    public string CtdbDir => Path.Combine(SambaDir, "ctdb");

    /// <summary>Include directories, as ctdb's own build uses them.</summary>
    public IReadOnlyList<string> IncludeArguments => ["-I" + CtdbDir, "-I" + Path.Combine(CtdbDir, "include")];

    /// <summary>The text every synthetic translation unit starts with.</summary>
    public static string Prologue()
    {
        var text = new StringBuilder();
        foreach (var include in SystemIncludes)
        {
            text.Append(CultureInfo.InvariantCulture, $"#include <{include}>\n");
        }

        text.Append("#include \"ctdb_protocol.h\"\n");
        return text.ToString();
    }

    public static int HeaderIndex(string header) => Headers.ToList().IndexOf(header);

    /// <summary>Maps a file name reported by clang to one of <see cref="Headers"/>, or null.</summary>
    public string? HeaderOf(string fileName)
    {
        if (fileName.Length == 0 || !Path.IsPathRooted(fileName))
        {
            return null;
        }

        var relative = Path.GetRelativePath(SambaDir, Path.GetFullPath(fileName)).Replace('\\', '/');
        return Headers.Contains(relative, StringComparer.Ordinal) ? relative : null;
    }

    /// <summary>The version in a directory name such as <c>samba-4.22.6</c>.</summary>
    public static string VersionFromDirectoryName(string sambaDir)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(sambaDir)));
        const string prefix = "samba-";
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length)
        {
            throw new ArgumentException($"cannot tell the Samba version from '{name}': pass --samba-version");
        }

        return name[prefix.Length..];
    }
}
