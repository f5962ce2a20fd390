namespace CtdbInterop.Recoverd.Metrics;

/// <summary>
/// Where the metrics file goes. <c>CTDB_RECOVERD_METRICS_DIR</c> (set in /etc/default/ctdb, which
/// ctdbd's environment passes on to this daemon): unset → Debian's textfile directory; empty,
/// <c>off</c> or <c>none</c> → metrics switched off entirely (no meter, no listener, no file).
/// An environment variable, not a ctdb.conf key: ctdbd validates ctdb.conf and rejects unknown keys.
/// </summary>
internal sealed record MetricsOptions(string? Directory)
{
    public const string Variable = "CTDB_RECOVERD_METRICS_DIR";

    /// <summary>What Debian's prometheus-node-exporter reads (--collector.textfile.directory).</summary>
    public const string DefaultDirectory = "/var/lib/prometheus/node-exporter";

    public const string FileName = "ctdb_recoverd.prom";

    public bool Enabled => Directory is not null;

    public static MetricsOptions FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    public static MetricsOptions Parse(string? value) => value switch
    {
        null => new MetricsOptions(DefaultDirectory),
        _ when value.Trim().Length == 0 => new MetricsOptions((string?)null),
        _ when value.Trim() is "off" or "none" or "no" or "0" => new MetricsOptions((string?)null),
        _ => new MetricsOptions(value.Trim()),
    };
}
