namespace CtdbInterop.Recoverd.Metrics;

/// <summary>The file operations the textfile writer needs; a seam so tests can simulate a full disk.</summary>
internal interface IMetricsFileSystem
{
    /// <summary>Creates or truncates <paramref name="path"/> and writes <paramref name="text"/>, flushed.</summary>
    void WriteAllText(string path, string text);

    /// <summary>rename(2): replaces <paramref name="destination"/> atomically.</summary>
    void Replace(string source, string destination);

    void DeleteIfExists(string path);

    /// <summary>Sets the modification time of an existing file (utimensat(2)); throws when it is missing.</summary>
    void SetLastWriteTime(string path, DateTimeOffset time);
}

/// <summary>The real file system.</summary>
internal sealed class RealMetricsFileSystem : IMetricsFileSystem
{
    public static RealMetricsFileSystem Instance { get; } = new();

    public void WriteAllText(string path, string text)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.None);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        stream.Write(bytes);
        stream.Flush(flushToDisk: false);
    }

    public void Replace(string source, string destination) => File.Move(source, destination, overwrite: true);

    public void DeleteIfExists(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    public void SetLastWriteTime(string path, DateTimeOffset time) => File.SetLastWriteTimeUtc(path, time.UtcDateTime);
}
