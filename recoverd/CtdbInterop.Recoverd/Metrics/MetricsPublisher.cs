using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Metrics;

/// <summary>
/// Metrics of the running daemon: the instruments, the collector and the textfile writer.
/// <see cref="Publish"/> is called once per main-loop iteration on the loop thread: it renders the
/// text there (consistent with the loop's state) and hands it to one background write. A write
/// still running when the next publish comes is not waited for: the newer text replaces the
/// pending one, so the loop never blocks on the file system.
/// </summary>
internal sealed class MetricsPublisher : IDisposable
{
    private readonly MetricsCollector _collector;
    private readonly TextfileWriter _writer;
    private readonly Lock _lock = new();
    private static readonly TimeSpan RewriteUnchanged = TimeSpan.FromSeconds(30);
    private readonly System.Diagnostics.Stopwatch _sinceWrite = new();
    private bool _written;
    private MetricsState? _collectedState;
    private string? _pending;
    private bool _running;
    private Task _writing = Task.CompletedTask;

    public MetricsPublisher(RecoverdMetrics metrics, TextfileWriter writer)
    {
        Metrics = metrics;
        _writer = writer;
        _collector = new MetricsCollector(metrics.Meter, metrics.Families);
    }

    public RecoverdMetrics Metrics { get; }

    public TextfileWriter Writer => _writer;

    /// <summary>The daemon's version as build_info shows it.</summary>
    public static string DaemonVersion()
    {
        var version = typeof(MetricsPublisher).Assembly.GetName().Version;
        return version is null ? "unknown" : $"{version.Major}.{version.Minor}.{version.Build}";
    }

    /// <summary>The metrics for the environment's configuration, or null when switched off.</summary>
    public static MetricsPublisher? Create(MetricsOptions options, Func<MetricsState> state, CtdbLog log)
    {
        if (options.Directory is not { } directory)
        {
            return null;
        }

        return new MetricsPublisher(new RecoverdMetrics(state, DaemonVersion()), new TextfileWriter(directory, log));
    }

    /// <summary>
    /// Collects now and, when a value changed (or the heartbeat is due, or the last write
    /// failed), renders and schedules the write; returns at once.
    /// </summary>
    public void Publish()
    {
        // The gauges are functions of the loop's state alone: while it is the same and no
        // counter or histogram moved, collecting them again could only find the same values,
        // so an idle iteration skips it (issue 7, idle CPU).
        var state = Metrics.State;
        var changed = state != _collectedState || _collector.HasUnrenderedChanges
            ? _collector.Collect()
            : false;
        _collectedState = state;
        lock (_lock)
        {
            // Idle iterations change nothing: no text is rendered and the file is rewritten
            // only every 30 s (its mtime stays fresh for staleness alerts) instead of every
            // second (issue 10: the idle cost of metrics).
            if (!changed && _written && _sinceWrite.IsRunning && _sinceWrite.Elapsed < RewriteUnchanged)
            {
                return;
            }
        }

        var text = _collector.RenderCollected();
        lock (_lock)
        {
            _pending = text;
            if (!_running)
            {
                _running = true;
                _writing = Task.Run(WritePending);
            }
        }
    }

    /// <summary>Waits (bounded) for the background write; for shutdown and tests.</summary>
    public bool Flush(TimeSpan limit)
    {
        Task writing;
        lock (_lock)
        {
            writing = _writing;
        }

        return writing.Wait(limit);
    }

    public void Dispose()
    {
        Flush(TimeSpan.FromSeconds(2));
        _collector.Dispose();
        Metrics.Dispose();
    }

    private void WritePending()
    {
        while (true)
        {
            string? text;
            lock (_lock)
            {
                text = _pending;
                _pending = null;
                if (text is null)
                {
                    _running = false;
                    return;
                }
            }

            var ok = _writer.TryWrite(text);
            lock (_lock)
            {
                _written = ok;
                if (ok)
                {
                    _sinceWrite.Restart();
                }
            }
        }
    }
}
