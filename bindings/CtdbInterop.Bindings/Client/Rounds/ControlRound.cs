using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Client.Rounds;

/// <summary>
/// Several controls sent together and awaited as one: consecutive request ids, one promise,
/// one time limit. Each control still gets its own outcome (a reply, or the error that
/// replaced it), exactly as if it had been sent alone; only the bookkeeping is shared, which
/// is what the recovery daemon's once-a-second reads cost most of (issue 7, idle CPU).
/// The round is its own promise and ends itself (timer, cancellation, registered ids), so
/// the caller's task is the round's and no async method waits in between.
/// </summary>
internal sealed class ControlRound : TaskCompletionSource<NodeControlResult[]>, IPendingReply
{
    private readonly Lock _lock = new();
    private readonly NodeControlResult[] _results;
    private readonly PendingReplies _pending;
    private int _remaining;
    private bool _finished;
    private ITimer? _limit;
    private CancellationTokenRegistration _cancellation;

    /// <param name="pending">Where the round's ids are registered; it forgets them when it ends.</param>
    public ControlRound(IReadOnlyList<ControlRequest> requests, uint firstRequestId, TimeSpan timeout, PendingReplies pending, TaskCreationOptions options)
        : base(options)
    {
        Requests = requests;
        FirstRequestId = firstRequestId;
        Timeout = timeout;
        _pending = pending;
        _results = new NodeControlResult[requests.Count];
        _remaining = requests.Count;
    }

    public IReadOnlyList<ControlRequest> Requests { get; }

    public uint FirstRequestId { get; }

    /// <summary>The round's time limit, named in the time-out errors.</summary>
    public TimeSpan Timeout { get; }

    public int Count => _results.Length;

    public uint RequestIdAt(int index) => unchecked(FirstRequestId + (uint)index);

    /// <summary>
    /// Starts the time limit on <paramref name="clock"/> and ties the round to
    /// <paramref name="cancellationToken"/>; both stop when the round ends. Throws what the
    /// clock throws for a time limit it cannot take, having started nothing.
    /// </summary>
    public void Arm(TimeProvider clock, CancellationToken cancellationToken)
    {
        var limit = Timeout == System.Threading.Timeout.InfiniteTimeSpan
            ? null
            : clock.CreateTimer(static state => ((ControlRound)state!).ExpireRemaining(), this, Timeout, System.Threading.Timeout.InfiniteTimeSpan);
        CancellationTokenRegistration cancellation;
        try
        {
            cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((ControlRound)state!).Cancel(token), this);
        }
        catch
        {
            limit?.Dispose();
            throw;
        }

        lock (_lock)
        {
            if (!_finished)
            {
                _limit = limit;
                _cancellation = cancellation;
                return;
            }
        }

        // It ended meanwhile (a zero time limit, a token cancelled just now): stop them here.
        cancellation.Dispose();
        limit?.Dispose();
    }

    public void Complete(uint requestId, ControlReply reply) => Settle(requestId, reply, null);

    public void Fail(uint requestId, Exception error) => Settle(requestId, null, error);

    /// <summary>The time limit passed: every control still waiting times out.</summary>
    public void ExpireRemaining() => SettleRemaining(null);

    /// <summary>Every control still waiting fails with <paramref name="error"/> (the connection is gone).</summary>
    public void FailRemaining(Exception error) => SettleRemaining(error);

    /// <summary>The caller gave up: the round's task is cancelled; late replies are dropped.</summary>
    public void Cancel(CancellationToken token) => Finish(token);

    // Every outcome has a reply or an error, so an empty entry is one still waiting.
    private static bool IsSettled(in NodeControlResult result) => result.Reply is not null || result.Error is not null;

    private void SettleRemaining(Exception? error)
    {
        lock (_lock)
        {
            for (var i = 0; i < _results.Length; i++)
            {
                if (!IsSettled(_results[i]))
                {
                    var request = Requests[i];
                    _results[i] = new NodeControlResult(request.DestNode, null, error ?? new CtdbControlTimeoutException(request.Opcode, request.DestNode, Timeout));
                    _remaining--;
                }
            }
        }

        Finish(null);
    }

    private int Index(uint requestId) => unchecked((int)(requestId - FirstRequestId));

    private void Settle(uint requestId, ControlReply? reply, Exception? error)
    {
        var index = Index(requestId);
        bool last;
        lock (_lock)
        {
            // A reply racing the time limit: whichever came first stands.
            if ((uint)index >= (uint)_results.Length || IsSettled(_results[index]))
            {
                return;
            }

            _results[index] = new NodeControlResult(Requests[index].DestNode, reply, error);
            last = --_remaining == 0;
        }

        if (last)
        {
            Finish(null);
        }
    }

    /// <summary>
    /// Ends the round once: stops its timer and cancellation, forgets its ids, then completes
    /// its task with the outcomes, or cancels it with <paramref name="cancelledBy"/>.
    /// </summary>
    private void Finish(CancellationToken? cancelledBy)
    {
        ITimer? limit;
        CancellationTokenRegistration cancellation;
        lock (_lock)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            (limit, _limit) = (_limit, null);
            (cancellation, _cancellation) = (_cancellation, default);
        }

        // Outside the lock: disposing the registration waits for a cancellation callback
        // running on another thread, which itself comes here.
        cancellation.Dispose();
        limit?.Dispose();
        _pending.Remove(this);
        if (cancelledBy is { } token)
        {
            TrySetCanceled(token);
        }
        else
        {
            TrySetResult(_results);
        }
    }
}
