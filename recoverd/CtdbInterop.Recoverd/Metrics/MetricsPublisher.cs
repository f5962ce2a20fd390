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
    private readonly TimeProvider _time;
    private bool _written;
    private long _writtenAt;
    private MetricsState? _collectedState;
    private string? _pending;
    private bool _touchDue;
    private bool _writing;
    private bool _stopping;
    private Thread? _writer;

    public MetricsPublisher(RecoverdMetrics metrics, TextfileWriter writer, TimeProvider? time = null)
    {
        Metrics = metrics;
        _textfile = writer;
        _time = time ?? TimeProvider.System;
        _collector = new MetricsCollector(metrics.Meter, metrics.Families);
    }

    /// <summary>
    /// How often an unchanged file gets a new modification time, so that an alert on
    /// node_exporter's node_textfile_mtime_seconds tells a stalled daemon from an idle one.
    /// </summary>
    public static TimeSpan Heartbeat { get; } = TimeSpan.FromSeconds(30);

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
    /// Collects now and, when a value changed (or the last write failed), renders and
    /// schedules the write; when nothing changed and the heartbeat is due, schedules only a new
    /// modification time. Returns at once.
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
            // Idle iterations change nothing, so no text is rendered (issue 10: the idle cost
            // of metrics). The heartbeat sets the file's mtime and leaves its content alone:
            // writing the same text again cost the writer thread ten times as much (issue 7).
            if (!changed && _written)
            {
                if (!_stopping && _time.GetElapsedTime(_writtenAt) >= Heartbeat)
                {
                    _touchDue = true;
                    _writer ??= StartWriter();
                    Monitor.PulseAll(_gate);
                }

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
            while (_pending is not null || _touchDue || _writing)
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
            _touchDue = false;
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
            string? text;
            lock (_gate)
            {
                while (_pending is null && !_touchDue && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping)
                {
                    return;
                }

                // New text, when there is some, refreshes the mtime as well.
                text = _pending;
                _pending = null;
                _touchDue = false;
                _writing = true;
            }

            // A touch that failed (the file was removed, say) leaves the file unwritten, so
            // the next publish renders and writes it in full.
            var ok = text is not null ? _textfile.TryWrite(text) : _textfile.TryTouch(_time.GetUtcNow());
            lock (_gate)
            {
                _writing = false;
                _written = ok;
                if (ok)
                {
                    _writtenAt = _time.GetTimestamp();
                }

                Monitor.PulseAll(_gate);
            }
        }
    }
}
