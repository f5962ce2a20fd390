namespace CtdbInterop.Simulation.Tests;

/// <summary>
/// Seeds that once failed, pinned with the generation options they failed under (the fault
/// phase was 20 s then). Each names what it found.
/// </summary>
[TestFixture]
public sealed class RegressionTests
{
    private static readonly GenerationOptions FirstGenerator = new() { FaultPhase = TimeSpan.FromSeconds(20) };

    /// <summary>
    /// Seed 1: the recovery helper's watch loop awaited Task.WhenAny(helper, Task.Delay(1 s));
    /// Task.Delay completes its WhenAny on the thread pool, so the leader's main loop resumed
    /// through a thread-pool hop (caught by the determinism check; the leader's loop then stalled
    /// after its first recovery and it never resigned when it lost the leader role).
    /// Fixed by WaitForHelperAsync.
    /// </summary>
    [Test]
    public void Seed_1_helper_watch_resumes_on_the_daemon_thread()
    {
        var result = Simulation.Run(ScheduleConfig.Generate(1, FirstGenerator));
        Assert.That(result.Violation, Is.Null);
        Assert.That(result.ResignationLatency, Is.LessThan(Simulation.ResignBoundLock));
    }

    /// <summary>
    /// Seed 210: SIGTERM while the leader's recovery helper ran. A contended, cancellable
    /// SemaphoreSlim wait (the action lock) and the helper kill via CancelAsync resumed on the
    /// thread pool; the stopping daemon never finished its shutdown and kept the cluster lock,
    /// so no other node could lead. Fixed by AsyncMutex and Cancel().
    /// </summary>
    [Test]
    public void Seed_210_sigterm_during_a_recovery_releases_the_lock()
    {
        var result = Simulation.Run(ScheduleConfig.Generate(210, FirstGenerator));
        Assert.That(result.Violation, Is.Null);
        Assert.That(result.LeaderAfterHeal, Is.Not.Null);
    }
}
