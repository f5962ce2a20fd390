namespace CtdbInterop.Recoverd.Configuration;

/// <summary>
/// Where ctdb-config looks for ctdb.conf, and what it silently gets wrong: it answers a path
/// it cannot read (a directory, for one) with its defaults, and even <c>validate</c> accepts it.
/// A missing file is fine (ctdb runs on its defaults without one).
/// </summary>
internal static class CtdbConfFile
{
    /// <summary>Debian's compile-time configuration directory.</summary>
    public const string DefaultPath = "/etc/ctdb/ctdb.conf";

    /// <summary>ctdb-config honours <c>CTDB_BASE</c> only in test mode, as ctdbd does.</summary>
    public static string PathFor(CtdbEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment is { TestMode: true, CtdbBase: { Length: > 0 } ctdbBase } ? Path.Combine(ctdbBase, "ctdb.conf") : DefaultPath;
    }

    /// <summary>Why the file cannot be read, or null when it can (or does not exist).</summary>
    public static string? ReadProblem(string path)
    {
        if (Directory.Exists(path))
        {
            return $"{path} is a directory";
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            return null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{path}: {e.Message}";
        }
    }
}
