using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>The election's log lines: the C daemon's words where the behaviour matches.</summary>
internal static class ElectionLogs
{
    public static readonly LogLine LeaderBroadcastTimeout = LogLine.Notice("Leader broadcast timeout");
    public static readonly LogLine StartElection = LogLine.Error("Start election");

    /// <summary>Our own line: another node started the election this node now takes part in (the C daemon logs nothing).</summary>
    public static readonly LogLine JoinElection = LogLine.Notice("Taking part in election");

    /// <summary>§3.2 rule 8: our own line for a dropped trigger (master logs "Start election" and returns).</summary>
    public static readonly LogLine ElectionAlreadyRunning =
        LogLine.Notice("Election already in progress - not starting another election");

    public static readonly LogLine RecoveryModeFailed =
        LogLine.Error("Unable to set recovery mode to active on cluster").AtLocation("force_election");

    public static readonly LogLine InitiateFailed = LogLine.Error("Failed to initiate leader election").WithFunction("force_election");
    public static readonly LogLine SendRequest = LogLine.Info("Send election request to all active nodes").AtLocation("send_election_request");
    public static readonly LogLine SendRequestFailed = LogLine.Error("Failed to send election request!");
    public static readonly LogLine LockFailedBanning = LogLine.Error("Unable to get cluster lock, banning node");
    public static readonly LogLine LeaderBroadcastFailed =
        LogLine.Warning("Failed to send leader broadcast").WithFunction("leader_broadcast_loop_handler");

    public static readonly LogLine ReceivedSigterm = LogLine.Error("Received SIGTERM, exiting");

    public static LogLine ElectionEnded(uint leader) => LogLine.Warning($"Election period ended, leader={leader}");

    /// <summary>Issue 7: our own line (the C daemon only knows the timeout).</summary>
    public static LogLine LeaderDisconnected(uint leader) => LogLine.Notice($"Leader node {leader} is disconnected - forcing election");

    public static LogLine ReceivedLeaderBroadcast(uint leader) => LogLine.Notice($"Received leader broadcast, leader={leader}");
}
