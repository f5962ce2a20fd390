using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using CtdbInterop.Bindings.Client.Polling;
using CtdbInterop.Bindings.Client.Rounds;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Client;

/// <summary>
/// An asynchronous client of one ctdbd, over its Unix socket. Controls are matched to
/// replies by request id, so any number of callers may have controls in flight at once;
/// messages for registered srvids arrive on <see cref="Messages"/> (or at the handler given to
/// <see cref="DeliverMessagesTo"/>). One background reader
/// owns the socket's receive side and never blocks a thread; writes are serialised. With a
/// <see cref="CtdbClientOptions.Poller"/> the owner's thread does the reading instead.
/// When ctdbd goes away every pending and later call fails with
/// <see cref="CtdbConnectionLostException"/>.
/// </summary>
public sealed class CtdbClient : IAsyncDisposable
{
    private static readonly TimeSpan ConnectRetryInterval = TimeSpan.FromMilliseconds(20);

    private readonly Socket _socket;
    private readonly CtdbClientOptions _options;
    private readonly PendingReplies _pending = new();
    private readonly Channel<IncomingMessage> _messages;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _handover = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Task _reader;
    private readonly PolledConnection? _polled;
    private readonly TaskCreationOptions _replyOptions;
    private Exception? _failure;
    private Action<IncomingMessage>? _messageHandler;
    private int _nextRequestId;
    private long _droppedMessages;

    private CtdbClient(Socket socket, string socketPath, CtdbClientOptions options)
    {
        _socket = socket;
        _options = options;
        SocketPath = socketPath;
        var completeOnReader = options.CompleteOnReaderThread || options.Poller is not null;
        _replyOptions = completeOnReader ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously;
        _messages = Channel.CreateBounded<IncomingMessage>(new BoundedChannelOptions(options.MessageQueueCapacity)
        {
            SingleWriter = true,
            AllowSynchronousContinuations = completeOnReader,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        if (options.Poller is { } poller)
        {
            _polled = new PolledConnection(socket, socketPath, poller, Dispatch, Fail);
            _reader = _polled.Completion;
        }
        else
        {
            _reader = Task.Run(ReadLoopAsync);
        }
    }

    /// <summary>The socket path this client is connected to (helpers are given the same path).</summary>
    public string SocketPath { get; }

    /// <summary>Writes to the socket so far on a poller-driven connection (for tests of the idle cost); 0 otherwise.</summary>
    internal long SocketWrites => _polled?.Writes ?? 0;

    /// <summary>Messages delivered for registered srvids, in arrival order.</summary>
    public ChannelReader<IncomingMessage> Messages => _messages.Reader;

    /// <summary>Messages dropped because the reader fell more than the queue capacity behind.</summary>
    public long DroppedMessages => Interlocked.Read(ref _droppedMessages);

    /// <summary>Completes when the connection ends; faulted with the reason unless disposed.</summary>
    public Task Completion => _reader;

    public bool IsConnected => Volatile.Read(ref _failure) is null;

    public static async Task<CtdbClient> ConnectAsync(string socketPath, CtdbClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        options ??= new CtdbClientOptions();
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            if (options.Poller is null)
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await ConnectWithoutEngineAsync(socket, new UnixDomainSocketEndPoint(socketPath), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"connecting to ctdbd at {socketPath} timed out after {options.ConnectTimeout.TotalSeconds:0.###} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new CtdbClient(socket, socketPath, options);
    }

    /// <summary>
    /// Connects without .NET's socket engine, which would otherwise watch the socket for the
    /// rest of its life and wake on every reply (see <see cref="CtdbClientOptions.Poller"/>).
    /// A Unix socket connects at once or, with ctdbd's listen queue full, fails with EAGAIN:
    /// then it retries until the time limit.
    /// </summary>
    private static async Task ConnectWithoutEngineAsync(Socket socket, UnixDomainSocketEndPoint endpoint, CancellationToken cancellationToken)
    {
        socket.Blocking = false;
        while (true)
        {
            try
            {
                socket.Connect(endpoint);
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.TryAgain)
            {
                await Task.Delay(ConnectRetryInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Sends a control to one node (a PNN or <see cref="CtdbConstants.CurrentNode"/>) and waits
    /// for its reply. A reply with a non-zero status is returned, not thrown: the status is
    /// the result of several controls.
    /// </summary>
    public async Task<ControlReply> ControlAsync(ControlRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsBroadcast(request.DestNode))
        {
            throw new ArgumentException($"control {request.Opcode} to {CtdbControlTimeoutException.FormatNode(request.DestNode)}: ctdbd accepts broadcast controls only without a reply (use BroadcastControlAsync)", nameof(request));
        }

        ThrowIfFailed();
        var requestId = NextRequestId();
        var reply = new SingleReply(_replyOptions);
        _pending.Add(requestId, reply);
        try
        {
            var packet = request.Encode(requestId);
            if (_polled is not null)
            {
                // The packet is sent (or queued whole) at once, and the time limit and the
                // cancellation fail the reply directly: one await and one timer of the
                // caller's clock per control, where the general path needs a send task, a
                // wait promise and a timer-thread timer (issue 7, idle CPU).
                cancellationToken.ThrowIfCancellationRequested();
                // Throws once the connection is lost (which fails every pending reply, this one too).
                _polled.Send(packet);
                using var limit = timeout == Timeout.InfiniteTimeSpan
                    ? null
                    : (_options.TimeoutClock ?? TimeProvider.System).CreateTimer(static state => ((SingleReply)state!).TrySetException(new TimeoutException()), reply, timeout, Timeout.InfiniteTimeSpan);
                using var cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((SingleReply)state!).TrySetCanceled(token), reply);
                return await reply.Task.ConfigureAwait(false);
            }

            // The write is inside the time limit too: a stopped ctdbd may stop draining the socket.
            await SendAndWaitAsync(packet, reply.Task).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return await reply.Task.ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new CtdbControlTimeoutException(request.Opcode, request.DestNode, timeout);
        }
        finally
        {
            _pending.Remove(requestId);
        }
    }

    /// <summary>
    /// Sends a control and decodes its reply with one of the typed parsers in
    /// <see cref="Controls"/> (which throw <see cref="CtdbControlException"/> on a failed reply).
    /// </summary>
    public async Task<T> ControlAsync<T>(ControlRequest request, Func<ControlReply, T> parse, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse(await ControlAsync(request, timeout, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sends a control whose reply carries nothing but success or failure, and checks it.</summary>
    public async Task ControlAsync(ControlRequest request, Action<ControlReply> check, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        check(await ControlAsync(request, timeout, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Sends the same control to several nodes at once and collects every node's outcome;
    /// one node's failure or timeout does not affect the others.
    /// </summary>
    public async Task<IReadOnlyList<NodeControlResult>> ControlManyAsync(IEnumerable<uint> pnns, ControlRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pnns);
        ArgumentNullException.ThrowIfNull(request);
        // A loop rather than a query: no closure, delegate and iterator per call (issue 7).
        var requests = pnns.TryGetNonEnumeratedCount(out var count) ? new List<ControlRequest>(count) : [];
        foreach (var pnn in pnns)
        {
            requests.Add(request with { DestNode = pnn });
        }

        return await ControlRoundAsync(requests, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends several controls at once and waits for all of them under one time limit. The
    /// outcomes come back in request order, each as if its control had been sent alone: a
    /// time-out, a lost connection or an unusable reply fails only its own entry (as
    /// <see cref="CtdbControlTimeoutException"/>, <see cref="CtdbConnectionLostException"/> or
    /// <see cref="CtdbProtocolException"/>; <see cref="ObjectDisposedException"/> once the
    /// client is disposed); a non-zero status is a reply like any other. Cancellation throws.
    /// One promise and one timer serve the whole round (issue 7).
    /// </summary>
    public Task<NodeControlResult[]> ControlRoundAsync(IReadOnlyList<ControlRequest> requests, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // Not an async method: the round itself is the task the caller awaits (issue 7).
        if (!IsSendableRound(requests) || cancellationToken.IsCancellationRequested)
        {
            return RefusedRoundAsync(requests, cancellationToken);
        }

        if (requests.Count == 0)
        {
            return Task.FromResult<NodeControlResult[]>([]);
        }

        var round = NewRound(requests, timeout);
        if (round.Task.IsCompleted)
        {
            return round.Task;
        }

        if (!TryArm(round, cancellationToken, out var refused))
        {
            return refused;
        }

        // A failed send fails the round's entries itself (the connection is lost); a send
        // still blocked behind a stalled ctdbd ends with the connection.
        _ = SendRoundAsync(round);
        return round.Task;
    }

    /// <summary>
    /// Starts several rounds as <see cref="ControlRoundAsync"/> would, one task each, in order.
    /// When the caller is the thread that drives this client's
    /// <see cref="CtdbClientOptions.Poller"/> and may wait on it
    /// (<see cref="ReadinessPoller.CanWaitHere"/>), the rounds go out at once, in one write,
    /// and the thread waits for their replies itself for up to <paramref name="waitHere"/>,
    /// dispatching whatever else arrives meanwhile as usual. A round answered within that
    /// comes back completed with no timer armed, no cancellation registered and no
    /// continuation queued, which is most of what an idle iteration of the recovery daemon
    /// cost (issue 7, idle CPU). The rounds still unanswered then are awaited as usual, under
    /// <paramref name="timeout"/> from then on. The thread is held for
    /// <paramref name="waitHere"/> at most, so keep it short.
    /// </summary>
    public Task<NodeControlResult[]>[] ControlRoundsWaitingHere(IReadOnlyList<IReadOnlyList<ControlRequest>> rounds, TimeSpan timeout, TimeSpan waitHere, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        var tasks = new Task<NodeControlResult[]>[rounds.Count];
        if (_options.Poller is not { CanWaitHere: true } poller || cancellationToken.IsCancellationRequested || Volatile.Read(ref _failure) is not null)
        {
            for (var i = 0; i < rounds.Count; i++)
            {
                tasks[i] = ControlRoundAsync(rounds[i], timeout, cancellationToken);
            }

            return tasks;
        }

        // The rounds this call waits for; the others (refused, empty) are settled already.
        var started = new ControlRound?[rounds.Count];
        for (var i = 0; i < rounds.Count; i++)
        {
            var requests = rounds[i];
            if (!IsSendableRound(requests) || requests.Count == 0)
            {
                tasks[i] = ControlRoundAsync(requests, timeout, cancellationToken);
                continue;
            }

            var round = NewRound(requests, timeout);
            tasks[i] = round.Task;
            if (round.Task.IsCompleted)
            {
                continue;
            }

            started[i] = round;
            // Held by the poller until its next wait, which sends every round in one write.
            _ = SendRoundAsync(round);
        }

        WaitHere(poller, tasks, waitHere, cancellationToken);

        for (var i = 0; i < started.Length; i++)
        {
            if (started[i] is not { } round || round.Task.IsCompleted)
            {
                continue;
            }

            if (!TryArm(round, cancellationToken, out var refused))
            {
                // Replies still to come are dropped as unknown.
                tasks[i] = refused;
            }
        }

        return tasks;
    }

    /// <summary>
    /// A round with its request ids registered for the replies; already failed, its task
    /// completed, when the connection is gone (nothing of it was sent).
    /// </summary>
    private ControlRound NewRound(IReadOnlyList<ControlRequest> requests, TimeSpan timeout)
    {
        var round = new ControlRound(requests, NextRequestIds(requests.Count), timeout, _pending, _replyOptions);
        _pending.Add(round);
        // A connection lost before the ids were registered failed nothing of this round.
        if (Volatile.Read(ref _failure) is { } failure)
        {
            round.FailRemaining(LostError(failure));
        }

        return round;
    }

    /// <summary>
    /// Starts the round's time limit and its cancellation. A limit the clock refuses gives
    /// <paramref name="refused"/>, a task that carries the error, as it always has, and the
    /// round's ids are forgotten.
    /// </summary>
    private bool TryArm(ControlRound round, CancellationToken cancellationToken, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out Task<NodeControlResult[]>? refused)
    {
        try
        {
            round.Arm(_options.TimeoutClock ?? TimeProvider.System, cancellationToken);
            refused = null;
            return true;
        }
        catch (Exception e)
        {
            _pending.Remove(round);
            refused = Task.FromException<NodeControlResult[]>(e);
            return false;
        }
    }

    /// <summary>Runs <paramref name="poller"/> on this thread until every task is done, the time is up or the caller cancels.</summary>
    private static void WaitHere(ReadinessPoller poller, Task<NodeControlResult[]>[] tasks, TimeSpan waitHere, CancellationToken cancellationToken)
    {
        var limitMs = (long)Math.Ceiling(Math.Clamp(waitHere.TotalMilliseconds, 0, int.MaxValue));
        var startedAt = Environment.TickCount64;
        // Bounded by the clock, and by the passes too, should the clock stall.
        for (var pass = 0; pass < 10_000 && !cancellationToken.IsCancellationRequested && !AllCompleted(tasks); pass++)
        {
            var left = limitMs - (Environment.TickCount64 - startedAt);
            if (left <= 0)
            {
                return;
            }

            try
            {
                poller.WaitAndDispatch((int)left);
            }
            catch (ObjectDisposedException)
            {
                // The owner is shutting down: the rounds end with the connection.
                return;
            }
        }
    }

    private static bool AllCompleted(Task<NodeControlResult[]>[] tasks)
    {
        foreach (var task in tasks)
        {
            if (!task.IsCompleted)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSendableRound(IReadOnlyList<ControlRequest>? requests)
    {
        if (requests is null)
        {
            return false;
        }

        // By index: a foreach over the interface would allocate an enumerator.
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i] is not { } request || IsBroadcast(request.DestNode))
            {
                return false;
            }
        }

        return true;
    }

#pragma warning disable CS1998 // Nothing to await: the async method only makes the task carry the error, as a round always has.
    /// <summary>Throws why a round cannot start, into its task: faulted by a bad argument, cancelled by the token.</summary>
    private static async Task<NodeControlResult[]> RefusedRoundAsync(IReadOnlyList<ControlRequest>? requests, CancellationToken cancellationToken)
#pragma warning restore CS1998
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            ArgumentNullException.ThrowIfNull(request, nameof(requests));
            if (IsBroadcast(request.DestNode))
            {
                throw new ArgumentException($"control {request.Opcode} to {CtdbControlTimeoutException.FormatNode(request.DestNode)}: ctdbd accepts broadcast controls only without a reply (use BroadcastControlAsync)", nameof(requests));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new System.Diagnostics.UnreachableException("a sendable round was refused");
    }

    /// <summary>
    /// Sends a control without asking for a reply — the only form ctdbd accepts for the
    /// broadcast destinations (<see cref="CtdbConstants.BroadcastAll"/> and friends).
    /// </summary>
    public Task BroadcastControlAsync(ControlRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var noReply = request with { Flags = request.Flags | (uint)CtdbControlFlags.Noreply };
        return SendAsync(noReply.Encode(NextRequestId()), cancellationToken);
    }

    /// <summary>Sends a message to the clients registered for <paramref name="srvid"/> on a node or broadcast target.</summary>
    public Task SendMessageAsync(uint destNode, ulong srvid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        SendAsync(new MessagePacket(srvid, data).Encode(destNode, NextRequestId()), cancellationToken);

    /// <summary>Sends a typed message (see <see cref="Messages"/>) to a node or broadcast target.</summary>
    public Task SendMessageAsync(uint destNode, MessagePacket message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync(message.Encode(destNode, NextRequestId()), cancellationToken);
    }

    /// <summary>Asks the local ctdbd to deliver messages for <paramref name="srvid"/> to this client.</summary>
    public Task RegisterSrvidAsync(ulong srvid, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        SrvidControlAsync(CtdbControl.RegisterSrvid, srvid, timeout, cancellationToken);

    public Task DeregisterSrvidAsync(ulong srvid, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        SrvidControlAsync(CtdbControl.DeregisterSrvid, srvid, timeout, cancellationToken);

    /// <summary>
    /// From now on hands each message to <paramref name="handler"/> instead of queueing it on
    /// <see cref="Messages"/>: called in arrival order on the thread that reads the socket (the
    /// <see cref="CtdbClientOptions.Poller"/>'s, else a background one), the messages queued so
    /// far first, on the caller's thread. The handler must not throw. A message then costs no
    /// queue and no continuation: every node gets the leader's broadcast every second (issue 7,
    /// idle CPU).
    /// </summary>
    public void DeliverMessagesTo(Action<IncomingMessage> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handover)
        {
            // Those queued already go first, so the handler sees them all in order.
            while (_messages.Reader.TryRead(out var queued))
            {
                handler(queued);
            }

            Volatile.Write(ref _messageHandler, handler);
        }
    }

    /// <summary>Reads messages until the connection ends or <paramref name="cancellationToken"/> fires.</summary>
    /// <remarks>The channel's own enumeration: an iterator around it would add a step to every message.</remarks>
    public IAsyncEnumerable<IncomingMessage> ReadMessagesAsync(CancellationToken cancellationToken = default) =>
        _messages.Reader.ReadAllAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!_shutdown.IsCancellationRequested)
        {
            Fail(new ObjectDisposedException(nameof(CtdbClient)));
            await _shutdown.CancelAsync().ConfigureAwait(false);
            _polled?.Dispose();
            _socket.Shutdown(SocketShutdown.Both);
            _socket.Dispose();
        }

        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (Exception e) when (e is CtdbConnectionLostException or ObjectDisposedException or OperationCanceledException)
        {
            // The reader's end is expected once the socket is closed.
        }

        _writeLock.Dispose();
        _shutdown.Dispose();
    }

    private async Task SrvidControlAsync(CtdbControl opcode, ulong srvid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new ControlRequest(opcode, CtdbConstants.CurrentNode, srvid, 0, 0, ReadOnlyMemory<byte>.Empty);
        var reply = await ControlAsync(request, timeout, cancellationToken).ConfigureAwait(false);
        if (reply.Status != 0 || reply.ErrorMessage is not null)
        {
            throw new InvalidOperationException($"{opcode} for srvid 0x{srvid:X16} failed: status {reply.Status}{(reply.ErrorMessage is null ? "" : ", " + reply.ErrorMessage)}");
        }
    }

    /// <summary>
    /// The round's packets in one write (issue 7): ctdbd reads whatever is queued on its socket
    /// and splits it into packets itself, so a round of N controls costs one system call, and
    /// one wake-up of ctdbd, instead of N.
    /// </summary>
    private async Task SendRoundAsync(ControlRound round)
    {
        // A control that cannot be encoded (a payload too large) stops the encoding: the ones
        // before it go out, it and the rest time out, as they always have.
        var length = 0;
        var encodable = 0;
        try
        {
            for (; encodable < round.Count; encodable++)
            {
                length = checked(length + round.Requests[encodable].EncodedLength);
            }
        }
        catch (Exception)
        {
            // Nothing waits for this task, so it must not fault unobserved.
        }

        if (encodable == 0)
        {
            return;
        }

        try
        {
            var batch = new byte[length];
            var offset = 0;
            for (var i = 0; i < encodable; i++)
            {
                var request = round.Requests[i];
                var size = request.EncodedLength;
                request.EncodeInto(batch.AsSpan(offset, size), round.RequestIdAt(i));
                offset += size;
            }

            if (_polled is not null)
            {
                _polled.Send(batch);
            }
            else
            {
                await SendAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is CtdbConnectionLostException or ObjectDisposedException)
        {
            round.FailRemaining(LostError(e));
        }
        catch (Exception)
        {
            // Anything else leaves the round's controls to time out; nothing waits for this
            // task, so it must not fault unobserved.
        }
    }

    /// <summary>What a single control would have thrown after <paramref name="failure"/> (see <see cref="ThrowIfFailed"/>).</summary>
    private static Exception LostError(Exception failure) => failure switch
    {
        ObjectDisposedException => new ObjectDisposedException(nameof(CtdbClient)),
        CtdbConnectionLostException lost => lost,
        _ => new CtdbConnectionLostException(failure.Message, failure),
    };

    private async Task SendAndWaitAsync(byte[] packet, Task<ControlReply> reply)
    {
        await SendAsync(packet, CancellationToken.None).ConfigureAwait(false);
        await reply.ConfigureAwait(false);
    }

    private async Task SendAsync(byte[] packet, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        if (_polled is not null)
        {
            // Sent at once or queued whole, in order.
            _polled.Send(packet);
            return;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfFailed();
            // Never abandon a packet half-written: that would desynchronise the stream for
            // every other caller. Only the client's own shutdown interrupts a write.
            var sent = 0;
            while (sent < packet.Length)
            {
                sent += await _socket.SendAsync(packet.AsMemory(sent), SocketFlags.None, _shutdown.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            var lost = new CtdbConnectionLostException($"sending to ctdbd at {SocketPath} failed: {e.Message}", e);
            Fail(lost);
            throw lost;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var lengthPrefix = new byte[4];
        try
        {
            while (true)
            {
                if (!await ReadExactlyAsync(lengthPrefix).ConfigureAwait(false))
                {
                    throw new CtdbConnectionLostException($"ctdbd at {SocketPath} closed the connection");
                }

                // A bad length field leaves no way to find the next packet: the stream is lost.
                var length = PacketFraming.ReadLength(lengthPrefix);
                var buffer = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    lengthPrefix.CopyTo(buffer, 0);
                    if (!await ReadExactlyAsync(buffer.AsMemory(4, length - 4)).ConfigureAwait(false))
                    {
                        throw new CtdbConnectionLostException($"ctdbd at {SocketPath} closed the connection in the middle of a packet");
                    }

                    Dispatch(buffer.AsSpan(0, length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (CtdbProtocolException e)
        {
            var lost = new CtdbConnectionLostException($"unusable packet stream from ctdbd at {SocketPath}: {e.Message}", e);
            Fail(lost);
            throw lost;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset && !_shutdown.IsCancellationRequested)
        {
            // A killed ctdbd resets the connection rather than closing it.
            var lost = new CtdbConnectionLostException($"ctdbd at {SocketPath} closed the connection ({e.Message})", e);
            Fail(lost);
            throw lost;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            var lost = _shutdown.IsCancellationRequested
                ? Volatile.Read(ref _failure) ?? new ObjectDisposedException(nameof(CtdbClient))
                : new CtdbConnectionLostException($"reading from ctdbd at {SocketPath} failed: {e.Message}", e);
            Fail(lost);
            throw lost;
        }
        catch (CtdbConnectionLostException e)
        {
            Fail(e);
            throw;
        }
    }

    private void Dispatch(ReadOnlySpan<byte> packet)
    {
        PacketHeader header;
        try
        {
            header = PacketFraming.ReadHeader(packet);
        }
        catch (CtdbProtocolException e)
        {
            // The length was sound, so the stream stays in step: drop just this packet.
            Diagnose($"dropped packet: {e.Message}");
            return;
        }

        switch (header.Operation)
        {
            case CtdbOperation.ReplyControl:
                DispatchReply(header, packet);
                break;
            case CtdbOperation.ReqMessage:
                DispatchMessage(packet);
                break;
            default:
                Diagnose($"bogus operation code:{(uint)header.Operation}");
                break;
        }
    }

    private void DispatchReply(PacketHeader header, ReadOnlySpan<byte> packet)
    {
        if (!_pending.TryTake(header.ReqId, out var waiter))
        {
            // Late replies to calls that already timed out are normal after a stall.
            Diagnose($"reply for unknown or expired request id {header.ReqId} dropped");
            return;
        }

        ControlReply reply;
        try
        {
            reply = ControlReply.Decode(packet).Reply;
        }
        catch (CtdbProtocolException e)
        {
            waiter.Fail(header.ReqId, e);
            return;
        }

        waiter.Complete(header.ReqId, reply);
    }

    private void DispatchMessage(ReadOnlySpan<byte> packet)
    {
        IncomingMessage incoming;
        try
        {
            var (_, srvid, data) = MessagePacket.DecodeFields(packet);
            incoming = new IncomingMessage(srvid, data);
        }
        catch (CtdbProtocolException e)
        {
            Diagnose($"Invalid packet: {e.Message}");
            return;
        }

        if (Volatile.Read(ref _messageHandler) is not { } handler)
        {
            lock (_handover)
            {
                handler = _messageHandler;
                if (handler is null)
                {
                    if (!_messages.Writer.TryWrite(incoming))
                    {
                        Interlocked.Increment(ref _droppedMessages);
                    }

                    return;
                }
            }
        }

        handler(incoming);
    }

    private async ValueTask<bool> ReadExactlyAsync(Memory<byte> target)
    {
        var read = 0;
        while (read < target.Length)
        {
            var n = await _socket.ReceiveAsync(target[read..], SocketFlags.None, _shutdown.Token).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private void Fail(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _failure, reason, null) is not null)
        {
            return;
        }

        _messages.Writer.TryComplete(reason is ObjectDisposedException ? null : reason);
        foreach (var (requestId, waiter) in _pending.TakeAll())
        {
            waiter.Fail(requestId, reason);
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw failure is ObjectDisposedException
                ? new ObjectDisposedException(nameof(CtdbClient))
                : new CtdbConnectionLostException(failure.Message, failure);
        }
    }

    private uint NextRequestId() => unchecked((uint)Interlocked.Increment(ref _nextRequestId));

    /// <summary>The first of <paramref name="count"/> consecutive request ids (they wrap like single ones).</summary>
    private uint NextRequestIds(int count) => unchecked((uint)Interlocked.Add(ref _nextRequestId, count) - (uint)count + 1);

    private void Diagnose(string text) => _options.Diagnostic?.Invoke(text);

    private static bool IsBroadcast(uint node) =>
        node is CtdbConstants.BroadcastAll or CtdbConstants.BroadcastActive or CtdbConstants.BroadcastConnected or CtdbConstants.Multicast;
}
