namespace CtdbInterop.Bindings.Client.Rounds;

/// <summary>
/// What waits for each request id still unanswered. A plain dictionary under one short lock:
/// a concurrent dictionary would allocate a node per control, and a round registers and
/// forgets all its ids in one go (issue 7, idle CPU).
/// </summary>
internal sealed class PendingReplies
{
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, IPendingReply> _waiting = [];

    public void Add(uint requestId, IPendingReply waiter)
    {
        lock (_lock)
        {
            _waiting[requestId] = waiter;
        }
    }

    public void Add(ControlRound round)
    {
        lock (_lock)
        {
            for (var i = 0; i < round.Count; i++)
            {
                _waiting[round.RequestIdAt(i)] = round;
            }
        }
    }

    public void Remove(uint requestId)
    {
        lock (_lock)
        {
            _waiting.Remove(requestId);
        }
    }

    public void Remove(ControlRound round)
    {
        lock (_lock)
        {
            for (var i = 0; i < round.Count; i++)
            {
                _waiting.Remove(round.RequestIdAt(i));
            }
        }
    }

    /// <summary>Takes the waiter of <paramref name="requestId"/>, which only this caller will then settle.</summary>
    public bool TryTake(uint requestId, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out IPendingReply waiter)
    {
        lock (_lock)
        {
            return _waiting.Remove(requestId, out waiter);
        }
    }

    /// <summary>Takes every waiter, with its request id (the connection is gone).</summary>
    public KeyValuePair<uint, IPendingReply>[] TakeAll()
    {
        lock (_lock)
        {
            var all = _waiting.ToArray();
            _waiting.Clear();
            return all;
        }
    }
}
