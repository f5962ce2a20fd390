using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Metrics;

/// <summary>
/// Writes the metrics file for node_exporter's textfile collector: a temporary file in the same
/// directory (a dot name, which the collector ignores — it reads only <c>*.prom</c>), then
/// rename(2), so a scrape never sees half a file. Failures (missing, read-only or full directory)
/// never throw; each kind of failure is logged once, and one line says when writing works again.
/// </summary>
internal sealed class TextfileWriter(string directory, CtdbLog log, IMetricsFileSystem? fileSystem = null)
{
    private readonly IMetricsFileSystem _files = fileSystem ?? RealMetricsFileSystem.Instance;
    private string? _failing;

    public string Path { get; } = System.IO.Path.Combine(directory, MetricsOptions.FileName);

    private string TemporaryPath => System.IO.Path.Combine(directory, "." + MetricsOptions.FileName + ".tmp");

    /// <summary>Successful writes so far.</summary>
    public long Written { get; private set; }

    /// <summary>Failed writes so far (each logged only when the failure kind changes).</summary>
    public long Failed { get; private set; }

    /// <summary>Heartbeats that only set the file's modification time.</summary>
    public long Touched { get; private set; }

    /// <summary>Writes <paramref name="text"/>; false (and at most one log line) when it could not.</summary>
    public bool TryWrite(string text)
    {
        try
        {
            _files.WriteAllText(TemporaryPath, text);
            _files.Replace(TemporaryPath, Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Failed++;
            TryDelete();
            var kind = Kind(e);
            if (_failing != kind)
            {
                _failing = kind;
                log.Warning($"Unable to write metrics file {Path} ({kind}: {e.Message}); metrics are not exported until it works again (logged once)");
            }

            return false;
        }

        Written++;
        if (_failing is not null)
        {
            log.Notice($"Metrics file {Path} written again");
            _failing = null;
        }

        return true;
    }

    /// <summary>
    /// Sets the file's modification time to <paramref name="now"/> without rewriting it; false
    /// (and no log line) when that failed, e.g. because the file is gone: the caller then
    /// writes it in full, and that write reports what is wrong.
    /// </summary>
    public bool TryTouch(DateTimeOffset now)
    {
        try
        {
            _files.SetLastWriteTime(Path, now);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        Touched++;
        return true;
    }

    private void TryDelete()
    {
        try
        {
            _files.DeleteIfExists(TemporaryPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static string Kind(Exception e) => e switch
    {
        DirectoryNotFoundException => "directory missing",
        UnauthorizedAccessException => "permission denied",
        IOException io when (io.HResult & 0xFFFF) == 28 => "no space left",
        IOException io when (io.HResult & 0xFFFF) == 30 => "read-only file system",
        _ => e.GetType().Name,
    };
}
