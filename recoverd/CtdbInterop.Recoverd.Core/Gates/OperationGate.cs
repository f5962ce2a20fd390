using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Gates;

/// <summary>
/// B71 <c>ctdb_op_*</c>: an operation ("takeover runs" or "recoveries") that can be disabled for
/// a while and is marked while in progress. Disabled means "a re-enable timer is armed"; the
/// shell fires <see cref="OnTimerDue"/> when <see cref="ReenableDeadline"/> passes.
/// </summary>
public sealed class OperationGate
{
    private TimeSpan? _reenableAt;

    public OperationGate(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The gate for takeover runs (B63, B68, B70, B41).</summary>
    public static OperationGate TakeoverRuns() => new("takeover runs");

    /// <summary>The gate for recoveries (B47, B56, B69, B34).</summary>
    public static OperationGate Recoveries() => new("recoveries");

    /// <summary>The plural name used in the log lines.</summary>
    public string Name { get; }

    public bool IsDisabled => _reenableAt is not null;

    public bool IsInProgress { get; private set; }

    public TimeSpan? ReenableDeadline => _reenableAt;

    /// <summary>
    /// Timeout 0 → re-enable (even while in progress); in progress → <c>-EAGAIN</c>; otherwise
    /// disable for <paramref name="timeoutSeconds"/> from now, replacing an earlier timer.
    /// </summary>
    public GateDisableResult Disable(uint timeoutSeconds, TimeSpan now)
    {
        if (timeoutSeconds == 0)
        {
            _reenableAt = null;
            return new GateDisableResult(0, LogLine.Notice($"Reenabling {Name}"));
        }

        if (IsInProgress)
        {
            return new GateDisableResult(-Errno.EAGAIN, LogLine.Error($"Unable to disable {Name} - in progress"));
        }

        _reenableAt = now + TimeSpan.FromSeconds(timeoutSeconds);
        return new GateDisableResult(0, LogLine.Notice($"Disabling {Name} for {timeoutSeconds} seconds"));
    }

    /// <summary>Marks the operation in progress unless the gate is disabled (then <paramref name="refusal"/> is the log line).</summary>
    public bool TryBegin(out LogLine? refusal)
    {
        if (IsDisabled)
        {
            refusal = LogLine.Notice($"Unable to begin - {Name} are disabled");
            return false;
        }

        refusal = null;
        IsInProgress = true;
        return true;
    }

    public void End() => IsInProgress = false;

    /// <summary>The re-enable timer: <c>Reenabling %s after timeout</c> when due, else nothing.</summary>
    public LogLine? OnTimerDue(TimeSpan now)
    {
        if (_reenableAt is not { } at || at > now)
        {
            return null;
        }

        _reenableAt = null;
        return LogLine.Notice($"Reenabling {Name} after timeout");
    }
}
