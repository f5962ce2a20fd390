using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.Resignation;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>B21-B23 on every node: the local recovery mode and the inactive-node handling.</summary>
public static class LocalChecks
{
    /// <summary>
    /// B21: no recovery mode → stop. B22: an inactive node resets its priority time (so it loses
    /// classic elections after reactivation), activates recovery mode if it is NORMAL, freezes
    /// once per inactive period and stops; a leader resigns first (§3.3) unless
    /// <see cref="DecisionOptions.ResignWhenUnableToLead"/> is off. B23: an active node clears the
    /// frozen marker and continues.
    /// </summary>
    public static LocalVerdict Decide(LocalSnapshot snapshot, LoopMemory memory, DecisionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(memory);
        options ??= DecisionOptions.Default;

        if (!snapshot.LocalRecoveryMode.TryGetValue(out var recoveryMode))
        {
            return new LocalVerdict.EndIteration(memory, [LogLine.Error("Failed to read recmode from local node")]);
        }

        if (memory.OwnFlags.IsInactive())
        {
            var next = memory with { PriorityTime = snapshot.WallNow };
            var activate = recoveryMode == CtdbRecoveryMode.Normal;
            IReadOnlyList<LogLine> logs = activate
                ? [LogLine.Error("Node is stopped or banned but recovery mode is not active. Activate recovery mode and lock databases")]
                : [];
            var resign = snapshot.IsLeader && options.ResignWhenUnableToLead ? ResignReason.CannotLead(memory.OwnFlags) : null;
            return new LocalVerdict.Inactive(next, logs, resign, activate, !memory.FrozenWhileInactive, resign is not null && options.HandOverWithRecovery);
        }

        var active = memory.FrozenWhileInactive ? memory with { FrozenWhileInactive = false } : memory;
        return new LocalVerdict.Active(active, recoveryMode == CtdbRecoveryMode.Normal);
    }
}
