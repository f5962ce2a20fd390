using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.MainLoop;
using CtdbInterop.Recoverd.Core.Recovery;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Metrics;

[Description("issue 10: the Prometheus text the textfile collector reads")]
public class PrometheusFormatTests
{
    private MetricsFixture _fixture = null!;

    [SetUp]
    public void SetUp() => _fixture = new MetricsFixture();

    [TearDown]
    public void TearDown() => _fixture.Dispose();

    [Test]
    public void Every_required_family_has_help_type_and_samples()
    {
        var text = _fixture.Render();
        string[] required =
        [
            "ctdb_recoverd_is_leader gauge", "ctdb_recoverd_leader_pnn gauge", "ctdb_recoverd_elections_total counter",
            "ctdb_recoverd_recoveries_total counter", "ctdb_recoverd_recovery_duration_seconds histogram",
            "ctdb_recoverd_recoveries_refused_total counter", "ctdb_recoverd_resignations_total counter",
            "ctdb_recoverd_takeover_runs_total counter", "ctdb_recoverd_takeover_run_duration_seconds histogram",
            "ctdb_recoverd_cluster_lock_held gauge", "ctdb_recoverd_helper_failures_total counter",
            "ctdb_recoverd_nodes gauge", "ctdb_recoverd_build_info gauge",
        ];
        Assert.Multiple(() =>
        {
            foreach (var family in required)
            {
                Assert.That(text, Does.Contain("\n# TYPE " + family + "\n").Or.StartWith("# HELP " + family.Split(' ')[0]), family);
                Assert.That(text, Does.Contain("# HELP " + family.Split(' ')[0] + " "), family);
            }
        });
    }

    [Test]
    public void Gauges_show_the_daemon_state()
    {
        var samples = _fixture.Samples();
        Assert.Multiple(() =>
        {
            Assert.That(samples, Does.Contain("ctdb_recoverd_is_leader 1"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_leader_pnn 1"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_cluster_lock_held 1"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_nodes{state=\"ok\"} 2"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_nodes{state=\"stopped\"} 1"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_nodes{state=\"banned\"} 0"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_build_info{version=\"0.1.0\"} 1"));
        });

        _fixture.State = _fixture.State with { IsLeader = false, Leader = Bindings.Generated.CtdbConstants.UnknownPnn, ClusterLockHeld = false };
        samples = _fixture.Samples();
        Assert.Multiple(() =>
        {
            Assert.That(samples, Does.Contain("ctdb_recoverd_is_leader 0"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_leader_pnn -1"), "no leader known");
            Assert.That(samples, Does.Contain("ctdb_recoverd_cluster_lock_held 0"));
        });
    }

    [Test]
    public void Counters_start_at_zero_for_every_closed_label_and_count_causes()
    {
        var before = _fixture.Samples();
        _fixture.Metrics.Record(new RecoveryCause(RecoveryCheck.VnnMapGenerationMismatch, "B38", 2, 5, 7).ToDecision());
        _fixture.Metrics.Record(RefusalCauses.For(RecoveryRefusal.Inactive, 0, Bindings.Generated.NodeFlags.Stopped, 0, default, 0, "recovery start"));
        _fixture.Metrics.Record(RefusalCauses.For(RecoveryRefusal.Inactive, 0, Bindings.Generated.NodeFlags.Stopped, 0, default, 0, "recovery start"));
        _fixture.Metrics.Record(HelperFailureCauses.Line(HelperName.Takeover, HelperFailureKind.Failed, 0, 5).Cause!);
        var after = _fixture.Samples();

        Assert.Multiple(() =>
        {
            Assert.That(before, Does.Contain("ctdb_recoverd_recoveries_total{cause=\"vnnmap_generation_mismatch\"} 0"));
            Assert.That(before, Does.Contain("ctdb_recoverd_recoveries_refused_total{reason=\"inactive\"} 0"));
            Assert.That(after, Does.Contain("ctdb_recoverd_recoveries_total{cause=\"vnnmap_generation_mismatch\"} 1"));
            Assert.That(after, Does.Contain("ctdb_recoverd_recoveries_refused_total{reason=\"inactive\"} 2"));
            Assert.That(after, Does.Contain("ctdb_recoverd_helper_failures_total{helper=\"takeover\",kind=\"failed\"} 1"));
            Assert.That(after, Does.Contain("ctdb_recoverd_helper_failures_total{helper=\"recovery\",kind=\"failed\"} 0"));
        });
    }

    [Test]
    public void Histograms_have_cumulative_buckets_inf_sum_and_count()
    {
        _fixture.Metrics.RecoveryFinished(TimeSpan.FromSeconds(0.3));
        _fixture.Metrics.RecoveryFinished(TimeSpan.FromSeconds(7));
        var samples = _fixture.Samples();

        Assert.Multiple(() =>
        {
            Assert.That(samples, Does.Contain("ctdb_recoverd_recovery_duration_seconds_bucket{le=\"0.25\"} 0"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_recovery_duration_seconds_bucket{le=\"0.5\"} 1"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_recovery_duration_seconds_bucket{le=\"10\"} 2"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_recovery_duration_seconds_bucket{le=\"+Inf\"} 2"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_recovery_duration_seconds_sum 7.3"));
            Assert.That(samples, Does.Contain("ctdb_recoverd_recovery_duration_seconds_count 2"));
        });
    }

    [Test]
    public void Label_values_outside_the_closed_set_are_never_exported()
    {
        _fixture.Metrics.Record(new DecisionCause(DecisionKind.Recovery, "node-7 said so", "free text"));
        _fixture.Metrics.Record(new DecisionCause(DecisionKind.HelperFailure, "failed", "x", Subject: "some_other_helper"));
        var text = _fixture.Render();

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("node-7"));
            Assert.That(text, Does.Not.Contain("some_other_helper"));
            Assert.That(_fixture.Collector.Rejected, Is.EqualTo(2));
        });
    }

    [Test]
    public void Promtool_finds_nothing_to_report()
    {
        _fixture.Metrics.RecoveryFinished(TimeSpan.FromSeconds(1.5));
        _fixture.Metrics.TakeoverRunFinished("ok", TimeSpan.FromSeconds(0.2));
        var (exit, output) = MetricsFixture.Promtool(_fixture.Render());
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, output);
            Assert.That(output.Trim(), Is.Empty);
        });
    }
}
