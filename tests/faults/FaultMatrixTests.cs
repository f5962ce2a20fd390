using System.Globalization;
using System.Text.RegularExpressions;
using CtdbInterop.Integration.Tests.Fixtures;

namespace CtdbInterop.Faults;

/// <summary>
/// The fault matrix of scripts/faults.sh (issue 8) as NUnit tests: one real 3-node cluster per
/// fixture, started through the integration tests' <see cref="LocalCluster"/> with the
/// fault-injecting helper wrappers, and one fault per test run against it with
/// <c>faults.sh --attach</c>, which checks the fault's expected outcome and bound, the records
/// written before it and every ctdb call's bound. Each test then checks for itself that all
/// nodes answer and agree. The "long" category is left out of CI (tests/faults/run.sh).
/// </summary>
[TestFixture("--ours", "any")]
[TestFixture("--mixed=1", "ours", Category = "long")]
[TestFixture("--mixed=2", "stock", Category = "long")]
[NonParallelizable]
public sealed partial class FaultMatrixTests(string clusterOption, string leader)
{
    private const int Nodes = 3;
    private static readonly TimeSpan FaultLimit = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(10);
    private readonly string _faults = RepositoryPaths.Script("faults.sh");
    private LocalCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartClusterWithFaultyHelpers()
    {
        // LocalCluster names its cluster "<purpose>-<pid>"; the wrappers live under that name.
        var purpose = "faults" + clusterOption.Replace("--", "-", StringComparison.Ordinal).Replace("=", "", StringComparison.Ordinal);
        var name = string.Create(CultureInfo.InvariantCulture, $"{purpose}-{Environment.ProcessId}");
        var prepare = await ProcessRunner.RunAsync(_faults, ["--prepare", "--name", name], CallLimit);
        Assert.That(prepare.ExitCode, Is.Zero, prepare.Describe);
        foreach (var line in prepare.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (line[..line.IndexOf('=', StringComparison.Ordinal)], line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            Environment.SetEnvironmentVariable(key, value);
        }

        _cluster = await LocalCluster.StartAsync(purpose, Nodes, clusterOption);
        Assert.That(_cluster.Name, Is.EqualTo(name));
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [TestCase("leaderrole-off")]
    [TestCase("recovery-helper-exit1")]
    [TestCase("kill-recoverd-recovery")]
    [TestCase("lock-lost-peer-paused")] // failed before the fix of the stale leader broadcast
    public Task Fault_in_the_ci_subset_passes(string fault) => RunFaultAsync(fault);

    [TestCase("kill-recoverd-takeover")]
    [TestCase("recovery-helper-crash")]
    [TestCase("recovery-helper-hang")]
    [TestCase("recovery-helper-garbage")]
    [TestCase("takeover-helper-hang")]
    [TestCase("lock-file-removed")]
    [TestCase("lock-dir-moved")]
    [TestCase("stop-peer")]
    [TestCase("stop-leader")]
    [TestCase("restart-loop")]
    [TestCase("ban-storm")]
    [TestCase("stop-storm")]
    [TestCase("conf-malformed")]
    [TestCase("conf-unreadable")]
    [Category("long")]
    public Task Long_fault_passes(string fault) => RunFaultAsync(fault);

    private async Task RunFaultAsync(string fault)
    {
        var mode = clusterOption.StartsWith("--mixed", StringComparison.Ordinal) ? clusterOption : "--ours";
        var run = await ProcessRunner.RunAsync(_faults, ["--attach", "--name", _cluster.Name, mode, "--leader", leader, "--only", fault], FaultLimit);
        var row = run.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith($"| {fault} |", StringComparison.Ordinal)) ?? "";
        await TestContext.Out.WriteLineAsync(row);
        Assert.That(row, Does.EndWith("| PASS |"), run.Describe);
        Assert.That(run.ExitCode, Is.Zero, run.Describe);
        await AssertEveryNodeSeesAllOkAsync();
    }

    /// <summary>Independently of the script: every node answers in time and sees every node OK, in normal mode.</summary>
    private async Task AssertEveryNodeSeesAllOkAsync()
    {
        var tool = new CtdbTool(_cluster);
        for (var node = 0; node < Nodes; node++)
        {
            var status = await tool.OutputAsync(node, CallLimit, "status");
            Assert.That(status.Split('\n').Count(l => HealthyNodeLine().IsMatch(l)), Is.EqualTo(Nodes), status);
            Assert.That(status, Does.Contain("Recovery mode:NORMAL"), status);
        }
    }

    [GeneratedRegex(@"^pnn:\d+ \S+ +OK( \(THIS NODE\))?$")]
    private static partial Regex HealthyNodeLine();
}
