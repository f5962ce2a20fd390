using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Gates;

/// <summary>
/// B68/B69 <c>srvid_disable_and_reply()</c> and B70. Every node answers, leader or not, active
/// or not.
/// </summary>
public static class DisableRequestHandling
{
    public const int PayloadSize = 24;

    /// <summary>
    /// Apply the request to <paramref name="gate"/>; reply (unless srvid is 0) with the own PNN on
    /// success or the negative errno (<c>-EAGAIN</c> while the operation is in progress).
    /// </summary>
    public static IReadOnlyList<RecdAction> Handle(DisableRequest request, OperationGate gate, uint ownPnn, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var result = gate.Disable(request.TimeoutSeconds, now);
        var actions = new List<RecdAction> { new RecdAction.Log(result.Log) };
        if (request.Srvid != 0)
        {
            actions.Add(new RecdAction.ReplyToRequester(request.Pnn, request.Srvid, result.Succeeded ? (int)ownPnn : result.Status));
        }

        return actions;
    }

    /// <summary>
    /// A payload that is not 24 bytes: log and send no reply. (The C daemon prints 16 as the
    /// expected size, latent issue 7; this prints the size it checks.)
    /// </summary>
    public static IReadOnlyList<RecdAction> WrongSize(int actualSize) =>
        [new RecdAction.Log(LogLine.Error($"Wrong size for data :{actualSize} expecting {PayloadSize}").AtLocation("srvid_disable_and_reply"))];

    /// <summary>B70 legacy <c>CTDB_SRVID_DISABLE_IP_CHECK</c> (4-byte timeout): apply to the takeover-runs gate, no reply.</summary>
    public static IReadOnlyList<RecdAction> HandleLegacyIpCheck(uint timeoutSeconds, OperationGate takeoverRuns, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(takeoverRuns);
        return [new RecdAction.Log(takeoverRuns.Disable(timeoutSeconds, now).Log)];
    }
}
