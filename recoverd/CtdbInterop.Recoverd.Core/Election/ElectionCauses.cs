using System.Globalization;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>
/// The causes of the election's decisions (elections started or joined, leader changes, cluster
/// lock events) and their closed label sets.
/// </summary>
public static class ElectionCauses
{
    /// <summary>Why this node started or joined an election (label of <c>ctdb_recoverd_elections_total</c>).</summary>
    public static IReadOnlyList<string> TriggerLabels { get; } =
        ["leader_timeout", "leader_disconnected", "cluster_lock_lost", "leader_unknown_broadcast", "election_request"];

    /// <summary>The cluster lock events (label of <c>ctdb_recoverd_cluster_lock_events_total</c>).</summary>
    public static IReadOnlyList<string> LockEventLabels { get; } = ["taken", "lost", "contention", "timeout", "error"];

    /// <summary>How a new leader became known.</summary>
    public static IReadOnlyList<string> LeaderChangeLabels { get; } = ["broadcast", "lock_election_won", "classic_election_ended"];

    public static string Pnn(uint pnn) =>
        pnn == CtdbConstants.UnknownPnn ? "unknown" : pnn.ToString(CultureInfo.InvariantCulture);

    public static DecisionCause LeaderTimeout(uint ownPnn, uint leader, TimeSpan timeout)
    {
        var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var text = leader == CtdbConstants.UnknownPnn
            ? $"no leader known and no leader broadcast within {seconds} s on node {ownPnn}"
            : $"no leader broadcast from leader {leader} within {seconds} s on node {ownPnn}";
        return new DecisionCause(DecisionKind.Election, "leader_timeout", text, leader, "no broadcast", $"broadcast within {seconds} s");
    }

    public static DecisionCause LeaderDisconnected(uint ownPnn, uint leader) => new(
        DecisionKind.Election,
        "leader_disconnected",
        $"the node map of node {ownPnn} shows leader {leader} DISCONNECTED",
        leader,
        "DISCONNECTED",
        "connected");

    public static DecisionCause ClusterLockLost(uint ownPnn) => new(
        DecisionKind.Election,
        "cluster_lock_lost",
        $"the cluster lock helper of node {ownPnn} exited while the lock was held",
        ownPnn,
        "helper exited",
        "helper holds the lock");

    /// <summary>An election started through <see cref="LeaderElection.ForceElection"/>, which the daemon never calls (not a label).</summary>
    public static DecisionCause Forced(uint ownPnn) =>
        new(DecisionKind.Election, "forced", $"election forced on node {ownPnn}", ownPnn);

    public static DecisionCause UnknownLeaderBroadcast(uint ownPnn, uint previousLeader) => new(
        DecisionKind.ElectionJoined,
        "leader_unknown_broadcast",
        $"node {ownPnn} received leader broadcast UNKNOWN (leader {Pnn(previousLeader)} resigned or another node started an election)",
        previousLeader,
        "leader=unknown",
        $"leader={Pnn(previousLeader)}");

    public static DecisionCause ElectionRequest(uint ownPnn, uint sender, uint previousLeader) => new(
        DecisionKind.ElectionJoined,
        "election_request",
        $"node {ownPnn} received an election request from node {sender} (leader was {Pnn(previousLeader)})",
        sender);

    public static DecisionCause LeaderBroadcast(uint newLeader, uint previousLeader) => new(
        DecisionKind.LeaderChanged,
        "broadcast",
        $"node {newLeader} announced itself leader, leader was {Pnn(previousLeader)}",
        newLeader,
        Pnn(newLeader),
        Pnn(previousLeader));

    public static DecisionCause LockElectionWon(uint ownPnn, uint previousLeader) => new(
        DecisionKind.LeaderChanged,
        "lock_election_won",
        $"node {ownPnn} won the cluster lock race, leader was {Pnn(previousLeader)}",
        ownPnn,
        Pnn(ownPnn),
        Pnn(previousLeader));

    public static DecisionCause ClassicElectionEnded(uint ownPnn, uint leader, uint previousLeader) => new(
        DecisionKind.LeaderChanged,
        "classic_election_ended",
        $"election period ended on node {ownPnn} with leader {Pnn(leader)}, leader was {Pnn(previousLeader)}",
        leader,
        Pnn(leader),
        Pnn(previousLeader));

    public static DecisionCause LockTaken(uint ownPnn, TimeSpan latency) =>
        Lock("taken", ownPnn, $"mutex helper answered '0' after {latency.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");

    public static DecisionCause LockContention(uint ownPnn, uint lastKnownLeader) =>
        Lock("contention", ownPnn, $"mutex helper answered '1': another node holds the lock (last leader known here: {Pnn(lastKnownLeader)})");

    public static DecisionCause LockTimeout(uint ownPnn, TimeSpan waited) =>
        Lock("timeout", ownPnn, $"no answer from the mutex helper within {waited.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");

    public static DecisionCause LockUnexpectedAnswer(uint ownPnn, byte status) =>
        Lock("error", ownPnn, $"mutex helper answered 0x{status:x2}, expected '0', '1' or '2'");

    public static DecisionCause LockHelperNotStarted(uint ownPnn, string reason) =>
        Lock("error", ownPnn, $"the mutex helper was not started: {reason}");

    public static DecisionCause LockLost(uint ownPnn) =>
        Lock("lost", ownPnn, "the mutex helper exited while holding the cluster lock (lock file removed, helper killed or lock lost)");

    public static DecisionCause LockHelperExitedUnanswered(uint ownPnn) =>
        Lock("error", ownPnn, "the mutex helper exited before answering");

    private static DecisionCause Lock(string lockEvent, uint ownPnn, string text) =>
        new(DecisionKind.ClusterLock, lockEvent, $"{text} (node {ownPnn})", ownPnn);
}
