using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Client.Rounds;

/// <summary>
/// Several controls sent together and awaited as one: consecutive request ids, one promise,
/// one time limit. Each control still gets its own outcome (a reply, or the error that
/// replaced it), exactly as if it had been sent alone; only the bookkeeping is shared, which
/// is what the recovery daemon's once-a-second reads cost most of (issue 7, idle CPU).
/// </summary>
internal sealed class ControlRound : IPendingReply
{
    private readonly Lock _lock = new();
    private readonly NodeControlResult[] _results;
    private readonly bool[] _settled;
    private readonly TaskCompletionSource _done;
    private int _remaining;

    public ControlRound(IReadOnlyList<ControlRequest> requests, uint firstRequestId, TimeSpan timeout, TaskCreationOptions options)
    {
        Requests = requests;
        FirstRequestId = firstRequestId;
        Timeout = timeout;
        _results = new NodeControlResult[requests.Count];
        _settled = new bool[requests.Count];
        _remaining = requests.Count;
        _done = new TaskCompletionSource(options);
        if (_remaining == 0)
        {
            _done.TrySetResult();
        }
    }

    public IReadOnlyList<ControlRequest> Requests { get; }

    public uint FirstRequestId { get; }

    /// <summary>The round's time limit, named in the time-out errors.</summary>
    public TimeSpan Timeout { get; }

    public int Count => _results.Length;

    /// <summary>Completes when every control has its outcome.</summary>
    public Task Done => _done.Task;

    /// <summary>The outcomes in request order; complete once <see cref="Done"/> has.</summary>
    public NodeControlResult[] Results => _results;

    public void Complete(uint requestId, ControlReply reply) => Settle(requestId, reply, null);

    public void Fail(uint requestId, Exception error) => Settle(requestId, null, error);

    public uint RequestIdAt(int index) => unchecked(FirstRequestId + (uint)index);

    /// <summary>The time limit passed: every control still waiting times out.</summary>
    public void ExpireRemaining() => SettleRemaining(null);

    /// <summary>Every control still waiting fails with <paramref name="error"/> (the connection is gone).</summary>
    public void FailRemaining(Exception error) => SettleRemaining(error);

    /// <summary>The caller gave up: the round's wait throws; late replies are dropped.</summary>
    public void Cancel(CancellationToken token) => _done.TrySetCanceled(token);

    private void SettleRemaining(Exception? error)
    {
        lock (_lock)
        {
            for (var i = 0; i < _results.Length; i++)
            {
                if (!_settled[i])
                {
                    var request = Requests[i];
                    _settled[i] = true;
                    _results[i] = new NodeControlResult(request.DestNode, null, error ?? new CtdbControlTimeoutException(request.Opcode, request.DestNode, Timeout));
                    _remaining--;
                }
            }
        }

        _done.TrySetResult();
    }

    private int Index(uint requestId) => unchecked((int)(requestId - FirstRequestId));

    private void Settle(uint requestId, ControlReply? reply, Exception? error)
    {
        var index = Index(requestId);
        bool last;
        lock (_lock)
        {
            // A reply racing the time limit: whichever came first stands.
            if ((uint)index >= (uint)_settled.Length || _settled[index])
            {
                return;
            }

            _settled[index] = true;
            _results[index] = new NodeControlResult(Requests[index].DestNode, reply, error);
            last = --_remaining == 0;
        }

        if (last)
        {
            _done.TrySetResult();
        }
    }
}
