using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Metrics;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Metrics;

/// <summary>Instruments with a settable state, and helpers to render and run promtool.</summary>
internal sealed class MetricsFixture : IDisposable
{
    public MetricsFixture()
    {
        Metrics = new RecoverdMetrics(
            () =>
            {
                StateReads++;
                return State;
            },
            "0.1.0");
        Collector = new MetricsCollector(Metrics.Meter, Metrics.Families);
    }

    public MetricsState State { get; set; } = new(true, 1, true, NodeMapView.FromFlags([0, 0, NodeFlags.Stopped]));

    public RecoverdMetrics Metrics { get; }

    /// <summary>How often the instruments (or the publisher) asked for the loop state.</summary>
    public int StateReads { get; private set; }

    public MetricsCollector Collector { get; }

    public string Render() => Collector.Render();

    /// <summary>The sample lines (no comments) of the rendered text.</summary>
    public IReadOnlyList<string> Samples() => Render().Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToArray();

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="text"/>: (exit code, output).</summary>
    public static (int Exit, string Output) Promtool(string text)
    {
        var start = new System.Diagnostics.ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Write(text);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException("promtool did not finish in 30 s");
        }

        return (process.ExitCode, output.Result + error.Result);
    }

    public void Dispose()
    {
        Collector.Dispose();
        Metrics.Dispose();
    }
}
