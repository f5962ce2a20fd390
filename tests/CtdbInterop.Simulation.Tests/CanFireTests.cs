using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Simulation.Tests;

/// <summary>
/// Every invariant can fail: a deliberately broken decision option (or environment) makes the
/// simulator report it within the CI seed budget, and the same seeds are clean with the fix on.
/// </summary>
[TestFixture]
public sealed class CanFireTests
{
    /// <summary>The seed budget a fix-off search may use (part of the CI time).</summary>
    private const int Budget = 1500;

    private static readonly GenerationOptions Focus16082 = new()
    {
        MixedProbability = 0,
        Kinds = [FaultKind.Stop, FaultKind.Ban, FaultKind.LeaderRoleOff, FaultKind.SlowPeer, FaultKind.Continue],
        FinalActionProbability = 0,
    };

    private static readonly GenerationOptions FocusNested = new()
    {
        MixedProbability = 0,
        LockMode = true,
        Kinds = [FaultKind.SlowLock, FaultKind.LockLoss, FaultKind.DaemonKill, FaultKind.SlowLock],
        FinalActionProbability = 0,
    };

    [Test]
    public void Recheck_off_lets_the_simulator_find_bug_16082_and_on_finds_none()
    {
        var off = Focus16082 with { Ours = DecisionOptions.Default with { RecheckBeforeRecovery = false } };
        var found = FirstFailure(off, "recovery-by-inactive-node");
        Assert.That(found, Is.Not.Null, "the 16082 interleaving was not found with the re-check off");
        TestContext.Out.WriteLine(Explain(found!, "recovery-by-inactive-node"));

        var on = Batch.Run(1, found!.Config.Seed, Focus16082);
        Assert.That(on.Failures.Select(f => $"seed {f.Config.Seed}: {f.Violation}"), Is.Empty);
    }

    [Test]
    public void Nested_election_guard_off_is_found_and_on_finds_none()
    {
        var off = FocusNested with { Ours = DecisionOptions.Default with { NestedElectionGuard = false } };
        var found = FirstFailure(off, "nested-election");
        Assert.That(found, Is.Not.Null, "no nested election found with the guard off");
        TestContext.Out.WriteLine(Explain(found!, "nested-election"));

        var on = Batch.Run(1, found!.Config.Seed, FocusNested);
        Assert.That(on.Failures.Select(f => $"seed {f.Config.Seed}: {f.Violation}"), Is.Empty);
    }

    [Test]
    public void Weak_lock_held_makes_two_lock_holders_fire()
    {
        var broken = FocusNested with { Ours = DecisionOptions.Default with { StrictLockHeld = false } };
        Assert.That(FirstFailure(broken, "two-lock-holders"), Is.Not.Null);
    }

    [Test]
    public void Silent_abdication_breaks_the_resignation_bound()
    {
        var broken = new GenerationOptions
        {
            MixedProbability = 0,
            MaxFaults = 1,
            Kinds = [FaultKind.SlowPeer],
            FinalActionProbability = 1,
            LockMode = true,
            Ours = DecisionOptions.Default with { ResignWhenUnableToLead = false },
        };
        Assert.That(FirstFailure(broken, "resignation"), Is.Not.Null);
    }

    [Test]
    public void A_leader_timeout_that_never_fires_breaks_liveness()
    {
        var broken = new GenerationOptions
        {
            MixedProbability = 0,
            Kinds = [FaultKind.DaemonKill, FaultKind.CtdbdRestart],
            LeaderTimeoutSeconds = 100_000,
        };
        Assert.That(FirstFailure(broken, "liveness"), Is.Not.Null);
    }

    [Test]
    public void A_recovery_that_leaves_recovery_mode_on_breaks_dmaster_and_fetch()
    {
        var broken = new GenerationOptions { MixedProbability = 0, MaxFaults = 1, Sabotage = Sabotage.RecoveryLeavesRecoveryMode };
        Assert.That(FirstFailure(broken, "dmaster-fetch"), Is.Not.Null);
    }

    private static SimulationResult? FirstFailure(GenerationOptions options, string invariant)
    {
        // A small first batch: broken options usually fail at once, and failing runs last to their bound.
        var step = 16;
        for (var first = 1; first <= Budget; first += step, step = 250)
        {
            var batch = Batch.Run(first, step, options);
            if (batch.Failures.FirstOrDefault(f => f.Violation!.Invariant == invariant) is { } hit)
            {
                return hit;
            }
        }

        return null;
    }

    private static string Explain(SimulationResult found, string invariant)
    {
        var shrunk = Shrinker.Shrink(found.Config, invariant, maxRuns: 40);
        var replay = Simulation.Run(shrunk, timeline: true);
        return $"seed {found.Config.Seed}: {found.Violation}\nshrunk to {shrunk.Faults.Count} fault(s):\n{shrunk.Describe()}{replay.Timeline}";
    }
}
