using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>
/// The reads the last iteration took after its local checks: B24's capabilities of these
/// nodes and, when it ran them, B42-B44's IP reads and the leader's B27-B33 reads. An idle
/// iteration takes the same ones again, so the next one sends them with its local round
/// (issue 7): one wait for ctdbd and one burst of packets where there were up to four.
/// </summary>
internal sealed record ReadAheadPlan(IReadOnlyList<uint> CapabilityNodes, bool IpState, bool IncludeKnownIps, LeaderReadTargets? LeaderReads = null);

/// <summary>An iteration's first reads (B12, B16-B21) and, when it has a plan, the reads sent with them.</summary>
internal readonly record struct IterationReads(Task<LocalStateReads> Local, ReadAhead? Ahead);

/// <summary>
/// A plan's reads in flight (or already answered), sent at <paramref name="sentAt"/> on
/// <paramref name="time"/>'s clock. They stand in for the reads the iteration takes later only when
/// nothing could have changed what they return in between: the same nodes, no action executed
/// since they were sent (<paramref name="actionsAtSend"/> against the daemon's count), every
/// read answered, and the iteration got to them within <see cref="MaxAge"/>. Anything else —
/// a failure or time-out included — is read again at the C daemon's point, so errors and
/// their logs keep its timing; a read ahead never throws.
/// </summary>
internal sealed class ReadAhead(
    ReadAheadPlan plan,
    long actionsAtSend,
    Task<IReadOnlyDictionary<uint, CtdbCapabilities>?>? capabilities,
    Task<IpStateReads>? ipState,
    Task<LeaderStateReads>? leaderState,
    TimeProvider time,
    long sentAt)
{
    /// <summary>
    /// The oldest a read sent ahead may be when the iteration reaches its point. An idle
    /// iteration gets there within milliseconds; one held up (a stalled peer, a slow ctdbd)
    /// reads again there, as the C daemon does, so what others changed meanwhile — a node
    /// stopped or banned while the leader waited (bug 16082) — is seen in this iteration.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(100);

    private readonly long _sentAt = sentAt;

    public ReadAheadPlan Plan { get; } = plan;

    private bool Fresh => time.GetElapsedTime(_sentAt) <= MaxAge;

    /// <summary>
    /// Whether executing <paramref name="action"/> makes reads sent before it stale: anything
    /// that reaches ctdbd, a helper or a peer in a way that can change what a read returns.
    /// Not a log line, nor what only touches this daemon's memory (a non-leader drops its
    /// takeover queue every iteration, B40), nor the leader broadcast (B73): it tells the
    /// peers' daemons who leads, and the C daemon's broadcast tick fires between its reads
    /// just the same; the tick often shares the main loop's wake-up (issue 7).
    /// </summary>
    public static bool Stales(RecdAction action) =>
        action is not (RecdAction.Log or RecdAction.CancelQueuedLeaderBroadcasts or RecdAction.DropTakeoverRequests or RecdAction.BroadcastLeader);

    /// <summary>
    /// As <see cref="CapabilitiesForAsync"/> without waiting: the capabilities when their read
    /// has been answered and stands, else null, and the caller goes the way that waits or reads
    /// again. An idle iteration's reads are answered before it starts (CtdbdGateway.StartIteration),
    /// so it takes them here and runs no async method for them (issue 7, idle CPU).
    /// </summary>
    public IReadOnlyDictionary<uint, CtdbCapabilities>? CapabilitiesNow(IReadOnlyList<uint> nodes, long actionsNow)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return capabilities is { IsCompletedSuccessfully: true } read && Plan.CapabilityNodes.SequenceEqual(nodes) && UsableNow(actionsNow)
            && read.Result is { } all && all.Count == nodes.Count
            ? all
            : null;
    }

    /// <summary>As <see cref="IpStateAsync"/> without waiting (see <see cref="CapabilitiesNow"/>).</summary>
    public IpStateReads? IpStateNow(bool includeKnown, long actionsNow) =>
        ipState is { IsCompletedSuccessfully: true } read && Plan.IncludeKnownIps == includeKnown && UsableNow(actionsNow)
            && Complete(read.Result, includeKnown)
            ? read.Result
            : null;

    /// <summary>As <see cref="LeaderStateForAsync"/> without waiting (see <see cref="CapabilitiesNow"/>).</summary>
    public LeaderStateReads? LeaderStateNow(LeaderReadTargets targets, long actionsNow)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return leaderState is { IsCompletedSuccessfully: true } read && Plan.LeaderReads is { } planned && SameTargets(planned, targets) && UsableNow(actionsNow)
            && Complete(read.Result)
            ? read.Result
            : null;
    }

    // The waiting forms: wait for the read when it was sent for these nodes and no action has
    // run since, then take it as the forms above do.

    /// <summary>The capabilities of <paramref name="nodes"/> read ahead, or null when they must be read now.</summary>
    public async Task<IReadOnlyDictionary<uint, CtdbCapabilities>?> CapabilitiesForAsync(IReadOnlyList<uint> nodes, Func<long> actionsNow)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(actionsNow);
        if (capabilities is null || !Plan.CapabilityNodes.SequenceEqual(nodes) || actionsNow() != actionsAtSend)
        {
            return null;
        }

        await WhenSettled(capabilities);
        return CapabilitiesNow(nodes, actionsNow());
    }

    /// <summary>The IP reads read ahead, or null when they must be read now.</summary>
    public async Task<IpStateReads?> IpStateAsync(bool includeKnown, Func<long> actionsNow)
    {
        ArgumentNullException.ThrowIfNull(actionsNow);
        if (ipState is null || Plan.IncludeKnownIps != includeKnown || actionsNow() != actionsAtSend)
        {
            return null;
        }

        await WhenSettled(ipState);
        return IpStateNow(includeKnown, actionsNow());
    }

    /// <summary>The leader's reads of <paramref name="targets"/> read ahead, or null when they must be read now.</summary>
    public async Task<LeaderStateReads?> LeaderStateForAsync(LeaderReadTargets targets, Func<long> actionsNow)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(actionsNow);
        if (leaderState is null || Plan.LeaderReads is not { } planned || !SameTargets(planned, targets) || actionsNow() != actionsAtSend)
        {
            return null;
        }

        await WhenSettled(leaderState);
        return LeaderStateNow(targets, actionsNow());
    }

    // What every kind of read ahead needs once it has been answered: still young, and no
    // action executed while the iteration waited for it.
    private bool UsableNow(long actionsNow) => actionsNow == actionsAtSend && Fresh;

    // A read that failed in any way (lost connection, cancellation) is simply not used: the
    // read taken in its place reports the failure as it always did. On the daemon thread still.
    private static System.Runtime.CompilerServices.ConfiguredTaskAwaitable WhenSettled(Task read) =>
        read.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);

    // Every read of the kind answered: a failure is read again where the C daemon reads it.
    private static bool Complete(IpStateReads reads, bool includeKnown) =>
        reads.Interfaces.Succeeded && reads.Available.Succeeded && (!includeKnown || reads.Known is { Succeeded: true });

    private static bool Complete(LeaderStateReads reads) =>
        reads.LocalVnnMap.Succeeded && AllSucceeded(reads.RemoteNodeMaps) && AllSucceeded(reads.RecoveryModes) && AllSucceeded(reads.RemoteVnnMaps);

    private static bool SameTargets(LeaderReadTargets a, LeaderReadTargets b) =>
        a.OwnPnn == b.OwnPnn
        && a.ConnectedOthers.SequenceEqual(b.ConnectedOthers)
        && a.ActiveNodes.SequenceEqual(b.ActiveNodes)
        && a.ActiveOthers.SequenceEqual(b.ActiveOthers);

    private static bool AllSucceeded<T>(IReadOnlyDictionary<uint, FetchResult<T>> reads)
    {
        foreach (var read in reads.Values)
        {
            if (!read.Succeeded)
            {
                return false;
            }
        }

        return true;
    }
}
