using System.Globalization;

namespace CtdbInterop.Simulation;

/// <summary>
/// What stock 4.22.6 peers did in mixed clusters that the invariants count rather than fail:
/// their own known behaviours, not our daemon's decisions (docs/simulation.md, invariants).
/// </summary>
/// <param name="RecoveriesByInactiveNode">Recoveries a stock peer started while inactive (bug 16082).</param>
/// <param name="PrematureLeaderships">Leadership announcements while the peer's own election was open.</param>
/// <param name="DisturbedHandOvers">Runs whose hand-over those announcements kept past the bound.</param>
/// <param name="StuckInElection">Runs with a stock classic peer left in an election without a timer (§3.3).</param>
internal readonly record struct StockBehaviour(int RecoveriesByInactiveNode, int PrematureLeaderships, int DisturbedHandOvers, int StuckInElection)
{
    public static StockBehaviour operator +(StockBehaviour a, StockBehaviour b) => new(
        a.RecoveriesByInactiveNode + b.RecoveriesByInactiveNode,
        a.PrematureLeaderships + b.PrematureLeaderships,
        a.DisturbedHandOvers + b.DisturbedHandOvers,
        a.StuckInElection + b.StuckInElection);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"stock peers' recoveries while inactive (bug 16082, expected in mixed clusters): {RecoveriesByInactiveNode}; stock peers' leadership announcements while their election was open (4.22.6, mixed clusters): {PrematureLeaderships}, hand-overs they kept past the bound: {DisturbedHandOvers}; runs with a stock peer left in an election without a timer (lost ELECTION, §3.3): {StuckInElection}");
}
