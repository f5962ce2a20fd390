using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Election;

/// <summary>The C daemon's cluster-lock log lines (B84, B88, B90, B91).</summary>
internal static class LockLogs
{
    public static readonly LogLine Releasing = LogLine.Notice("Releasing cluster lock");
    public static readonly LogLine Cancelling = LogLine.Notice("Cancelling cluster lock");
    public static readonly LogLine AlreadyHolding = LogLine.Notice("Already holding cluster lock");
    public static readonly LogLine TakenSuccessfully = LogLine.Notice("Cluster lock taken successfully");
    public static readonly LogLine Contention = LogLine.Error("Unable to take cluster lock - contention");
    public static readonly LogLine Timeout = LogLine.Error("Unable to take cluster lock - timeout");
    public static readonly LogLine UnknownError = LogLine.Error("Unable to take cluster lock - unknown error");
    public static readonly LogLine HelperTerminated = LogLine.Error("Cluster lock helper terminated");

    public static LogLine Attempting(string lockString) => LogLine.Notice($"Attempting to take cluster lock ({lockString})");

    public static LogLine Took(uint leader) => LogLine.Warning($"Took cluster lock, leader={leader}");
}
