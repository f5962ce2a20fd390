using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Takeover;

/// <summary>
/// Pending <c>CTDB_SRVID_TAKEOVER_RUN</c> requests (B65), answered after the next takeover run
/// (B66) or dropped silently on non-leaders (B40) and on resignation.
/// </summary>
public sealed class PendingTakeoverRequests
{
    public const int PayloadSize = 16;

    private readonly List<SrvidRequest> _pending = [];

    public bool HasPending => _pending.Count > 0;

    public int Count => _pending.Count;

    /// <summary>B65: every node queues; only the leader ever processes them.</summary>
    public void Enqueue(SrvidRequest request) => _pending.Add(request);

    /// <summary>A payload that is not 16 bytes: log and ignore.</summary>
    public static LogLine WrongSize() => LogLine.Error("Wrong size of return address.").AtLocation("ip_reallocate_handler");

    /// <summary>
    /// B66: take the current requests for one run (later ones wait for the next run), newest
    /// first as the C list is LIFO.
    /// </summary>
    public IReadOnlyList<SrvidRequest> Detach()
    {
        var detached = Enumerable.Reverse(_pending).ToArray();
        _pending.Clear();
        return detached;
    }

    /// <summary>B40 and §3.3: forget every request without replying.</summary>
    public void DropAll() => _pending.Clear();

    /// <summary>B66: one reply per detached request with srvid ≠ 0 — own PNN on success, −1 on failure.</summary>
    public static IReadOnlyList<RecdAction> Replies(IReadOnlyList<SrvidRequest> detached, bool success, uint ownPnn)
    {
        ArgumentNullException.ThrowIfNull(detached);
        var value = success ? (int)ownPnn : -1;
        return detached.Where(r => r.Srvid != 0).Select(r => (RecdAction)new RecdAction.ReplyToRequester(r.Pnn, r.Srvid, value)).ToArray();
    }
}
