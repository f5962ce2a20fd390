using CtdbInterop.Recoverd.Logging;

namespace CtdbInterop.Recoverd.Metrics;

/// <summary>
/// Metrics of the running daemon: the instruments, the collector and the textfile writer.
/// <see cref="Publish"/> is called once per main-loop iteration on the loop thread: it renders the
/// text there (consistent with the loop's state) and hands it to the writer thread. A write
/// still running when the next publish comes is not waited for: the newer text replaces the
/// pending one, so the loop never blocks on the file system.
/// </summary>
/// <remarks>
/// The writer is one thread of its own that sleeps between writes, not the thread pool: an idle
/// daemon writes every 30 s, and the pool retires its idle workers sooner than that, so each
/// write used to start a worker thread (and the pool's gate thread) and let it exit again
/// (issue 7, idle CPU).
/// </remarks>
internal sealed class MetricsPublisher : IDisposable
{
    private readonly MetricsCollector _collector;
    private readonly TextfileWriter _textfile;
    // A monitor, not a Lock: the writer thread sleeps on it (Monitor.Wait) until there is text.
    private readonly object _gate = new();
    private static readonly TimeSpan RewriteUnchanged = TimeSpan.FromSeconds(30);
    private readonly System.Diagnostics.Stopwatch _sinceWrite = new();
    private bool _written;
    private MetricsState? _collectedState;
    private string? _pending;
    private bool _writing;
    private bool _stopping;
    private Thread? _writer;

    public MetricsPublisher(RecoverdMetrics metrics, TextfileWriter writer)
    {
        Metrics = metrics;
        _textfile = writer;
        _collector = new MetricsCollector(metrics.Meter, metrics.Families);
    }

    public RecoverdMetrics Metrics { get; }

    public TextfileWriter Writer => _textfile;

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
        lock (_gate)
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
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _pending = text;
            _writer ??= StartWriter();
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits (bounded) until no write is pending or running; for shutdown and tests.</summary>
    public bool Flush(TimeSpan limit)
    {
        var deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        lock (_gate)
        {
            while (_pending is not null || _writing)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return false;
                }

                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left));
            }
        }

        return true;
    }

    public void Dispose()
    {
        Flush(TimeSpan.FromSeconds(2));
        lock (_gate)
        {
            // A write stuck in the file system keeps its thread; it is a background thread,
            // so it holds up neither this call nor the process's exit.
            _stopping = true;
            _pending = null;
            Monitor.PulseAll(_gate);
        }

        _collector.Dispose();
        Metrics.Dispose();
    }

    private Thread StartWriter()
    {
        var thread = new Thread(WriteLoop, maxStackSize: 256 * 1024) { IsBackground = true, Name = "metrics writer" };
        thread.Start();
        return thread;
    }

    private void WriteLoop()
    {
        while (true)
        {
            string text;
            lock (_gate)
            {
                while (_pending is null && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping)
                {
                    return;
                }

                text = _pending!;
                _pending = null;
                _writing = true;
            }

            var ok = _textfile.TryWrite(text);
            lock (_gate)
            {
                _writing = false;
                _written = ok;
                if (ok)
                {
                    _sinceWrite.Restart();
                }

                Monitor.PulseAll(_gate);
            }
        }
    }
}
