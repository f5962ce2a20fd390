using System.Globalization;
using System.Text;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Simulation;

/// <summary>Faults and operator actions the schedule can contain.</summary>
internal enum FaultKind
{
    Stop,
    Continue,
    Ban,
    Unban,
    Disconnect,
    Reconnect,
    CutLink,
    CtdbdRestart,
    DaemonRestart,
    DaemonKill,
    LockLoss,
    LeaderRoleOff,
    LeaderRoleOn,
    SlowPeer,
    SlowLock,
    Lossy,

    /// <summary>
    /// The node's cluster mutex helper cannot be started for a while (posix_spawn or pidfd_open
    /// failing). Only in hand-written schedules: generated ones draw from the kinds above, so
    /// the pinned seeds keep their schedules.
    /// </summary>
    LockSpawnFailure,

    /// <summary>
    /// Every message the node's daemon receives arrives cut to half its length, so the parsers
    /// refuse it. Hand-written schedules only, like <see cref="LockSpawnFailure"/>.
    /// </summary>
    TruncatedMessages,

    /// <summary>
    /// Every message the node's daemon receives arrives at its length with random bytes: what
    /// a parser accepts, the handlers must cope with. Hand-written schedules only.
    /// </summary>
    GarbledMessages,
}

/// <summary>The operator action applied to the settled leader to exercise resignation.</summary>
internal enum FinalAction
{
    None,
    Stop,
    Ban,
    LeaderRoleOff,
}

/// <summary>One fault at a virtual time. <see cref="Node"/> = <see cref="CurrentLeader"/> targets whoever leads then.</summary>
internal sealed record Fault(TimeSpan At, FaultKind Kind, uint Node, uint Other = 0, int Seconds = 0)
{
    public const uint CurrentLeader = uint.MaxValue;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{At.TotalSeconds:0.000}s {Kind} {(Node == CurrentLeader ? "leader" : $"n{Node}")}{(Kind == FaultKind.CutLink ? $"-n{Other}" : "")}{(Seconds > 0 ? $" {Seconds}s" : "")}");
}

/// <summary>Deliberate breakage of the environment, for tests that show an invariant can fire.</summary>
internal enum Sabotage
{
    None,

    /// <summary>The recovery helper reports success but leaves every node in recovery mode (fetches would hang).</summary>
    RecoveryLeavesRecoveryMode,
}

/// <summary>Knobs for generating schedules (tests switch fixes off through <see cref="Ours"/>).</summary>
internal sealed record GenerationOptions
{
    public int MinNodes { get; init; } = 3;

    public int MaxNodes { get; init; } = 5;

    /// <summary>The options every non-stock node runs (the daemon's defaults unless a test breaks one).</summary>
    public DecisionOptions Ours { get; init; } = DecisionOptions.Default;

    /// <summary>Chance that a schedule mixes in stock 4.22.6 peers.</summary>
    public double MixedProbability { get; init; } = 0.3;

    /// <summary>null = both modes, else only lock mode (true) or only classic (false).</summary>
    public bool? LockMode { get; init; }

    public int MaxFaults { get; init; } = 8;

    public double FinalActionProbability { get; init; } = 0.5;

    public TimeSpan FaultPhase { get; init; } = TimeSpan.FromSeconds(14);

    public IReadOnlyList<FaultKind>? Kinds { get; init; }

    /// <summary>[cluster] leader timeout given to every daemon (a huge value breaks liveness on purpose).</summary>
    public int LeaderTimeoutSeconds { get; init; } = 5;

    public Sabotage Sabotage { get; init; }
}

/// <summary>Everything a run depends on; generated from the seed, and shrinkable (faults can be removed).</summary>
internal sealed record ScheduleConfig
{
    // Kinds added after the seeds were pinned are for hand-written schedules only: drawing
    // from them would change every generated schedule.
    private static readonly FaultKind[] HandWrittenOnly = [FaultKind.LockSpawnFailure, FaultKind.TruncatedMessages, FaultKind.GarbledMessages];

    private static readonly FaultKind[] AllKinds = Enum.GetValues<FaultKind>().Where(k => !HandWrittenOnly.Contains(k)).ToArray();

    public required int Seed { get; init; }

    public required int NodeCount { get; init; }

    public required bool LockMode { get; init; }

    public required DecisionOptions[] Options { get; init; }

    public required TimeSpan[] WallSkew { get; init; }

    public RecdTunables Tunables { get; init; } = RecdTunables.Defaults;

    public required IReadOnlyList<Fault> Faults { get; init; }

    public required TimeSpan HealAt { get; init; }

    public FinalAction Final { get; init; }

    public int LeaderTimeoutSeconds { get; init; } = 5;

    public Sabotage Sabotage { get; init; }

    public static ScheduleConfig Generate(int seed, GenerationOptions? options = null)
    {
        options ??= new GenerationOptions();
        var rng = new Random(seed);
        var n = rng.Next(options.MinNodes, options.MaxNodes + 1);
        var lockMode = options.LockMode ?? rng.Next(2) == 0;
        var nodeOptions = Enumerable.Repeat(options.Ours, n).ToArray();
        if (rng.NextDouble() < options.MixedProbability)
        {
            var stock = rng.Next(1, n);
            foreach (var pnn in Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(stock))
            {
                nodeOptions[pnn] = DecisionOptions.Stock4226;
            }
        }

        var skew = Enumerable.Range(0, n).Select(_ => TimeSpan.FromMilliseconds(rng.Next(-2000, 2000))).ToArray();
        var kinds = options.Kinds ?? AllKinds;
        var phase = options.FaultPhase;
        var count = rng.Next(1, options.MaxFaults + 1);
        var faults = new List<Fault>();
        for (var i = 0; i < count; i++)
        {
            var at = TimeSpan.FromMilliseconds(rng.Next(1500, (int)phase.TotalMilliseconds));
            var kind = kinds[rng.Next(kinds.Count)];
            var node = rng.Next(2) == 0 ? Fault.CurrentLeader : (uint)rng.Next(n);
            var other = (uint)rng.Next(n);
            var seconds = kind switch
            {
                FaultKind.Ban => rng.Next(2, 20),
                FaultKind.CtdbdRestart => rng.Next(1, 6),
                FaultKind.SlowPeer or FaultKind.SlowLock or FaultKind.Lossy or FaultKind.LockSpawnFailure => rng.Next(2, 12),
                FaultKind.Disconnect or FaultKind.CutLink => rng.Next(1, 10),
                _ => 0,
            };
            faults.Add(new Fault(at, kind, node, other, seconds));
        }

        var final = rng.NextDouble() < options.FinalActionProbability ? (FinalAction)rng.Next(1, 4) : FinalAction.None;
        return new ScheduleConfig
        {
            Seed = seed,
            NodeCount = n,
            LockMode = lockMode,
            Options = nodeOptions,
            WallSkew = skew,
            Faults = faults.OrderBy(f => f.At).ToList(),
            HealAt = phase,
            Final = final,
            LeaderTimeoutSeconds = options.LeaderTimeoutSeconds,
            Sabotage = options.Sabotage,
        };
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"seed {Seed}: {NodeCount} nodes, {(LockMode ? "lock" : "classic")} mode, heal at {HealAt.TotalSeconds:0} s, final action {Final}\n");
        for (var i = 0; i < Options.Length; i++)
        {
            var kind = Options[i] == DecisionOptions.Stock4226 ? "stock 4.22.6" : Options[i] == DecisionOptions.Default ? "ours" : $"ours with {Options[i]}";
            text.Append(CultureInfo.InvariantCulture, $"  n{i}: {kind}, wall clock {WallSkew[i].TotalMilliseconds:+0;-0} ms\n");
        }

        foreach (var fault in Faults)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {fault}\n");
        }

        return text.ToString();
    }
}
