using System.Net.Sockets;
using System.Runtime.InteropServices;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Client.Polling;

/// <summary>
/// The packet stream of a non-blocking socket driven by a <see cref="ReadinessPoller"/>:
/// receives and dispatches on the poller's thread (one receive per burst of packets). Sends
/// from any other thread go straight out, queueing only what the socket does not take at
/// once; sends from the poller's own thread are held until it is about to sleep and then go
/// out as one write, so a burst of work (an iteration's rounds, a broadcast) costs ctdbd and
/// us one system call and one wake-up (issue 7, idle CPU). The thread only computes between
/// a send and its next sleep, so this delays nothing by more than that.
/// The non-blocking receives call recv(2) directly: what <see cref="Socket"/> adds around
/// them (blocking-mode, telemetry and state bookkeeping) costs more than the call itself on
/// the daemon's idle path (issue 7, idle CPU). Sends go through the socket (see SendSome).
/// </summary>
internal sealed unsafe class PolledConnection : IDisposable
{
    // Receives per readiness report before the poller's other work gets a turn; the socket
    // stays readable, so the next wait returns at once.
    private const int ReceivesPerTurn = 16;

    private readonly Socket _socket;
    private readonly string _peer;
    private readonly PacketHandler _onPacket;
    private readonly PacketHandler _dispatchUnlessClosed;
    private readonly Action<CtdbConnectionLostException> _onLost;
    private readonly PacketAssembler _assembler = new();
    private readonly Lock _sendLock = new();
    private readonly Queue<PendingSend> _unsent = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ISocketWatch _watch;
    private bool _flushAsked;
    private long _writes;
    private volatile bool _closed;

    public PolledConnection(Socket socket, string peer, ReadinessPoller poller, PacketHandler onPacket, Action<CtdbConnectionLostException> onLost)
    {
        _peer = peer;
        _onPacket = onPacket;
        // Converted once: a method group passed per receive would be a new delegate each time.
        _dispatchUnlessClosed = DispatchUnlessClosed;
        _onLost = onLost;
        _socket = socket;
        socket.Blocking = false;
        _watch = poller.Watch(socket, OnReady);
    }

    /// <summary>Write system calls so far (for tests of the idle cost).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Faults with <see cref="CtdbConnectionLostException"/> when the stream ends; completes on <see cref="Dispose"/>.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Sends <paramref name="packet"/> whole: at once when the socket takes it, otherwise the
    /// rest goes out, in order, as the socket drains. Never leaves a packet half-written
    /// unless the connection ends; throws <see cref="CtdbConnectionLostException"/> when it has.
    /// </summary>
    public void Send(byte[] packet)
    {
        SocketError error;
        lock (_sendLock)
        {
            if (_closed)
            {
                throw new CtdbConnectionLostException($"the connection to ctdbd at {_peer} is closed");
            }

            var sent = 0;
            error = SocketError.Success;
            if (_watch.OnPollingThread)
            {
                _unsent.Enqueue(new PendingSend(packet, 0));
                if (!_flushAsked)
                {
                    _flushAsked = true;
                    _watch.FlushBeforeWait();
                }

                return;
            }

            if (_unsent.Count == 0)
            {
                sent = SendSome(packet, 0, out error);
                if (error == SocketError.Success && sent == packet.Length)
                {
                    return;
                }
            }

            if (error == SocketError.Success)
            {
                _unsent.Enqueue(new PendingSend(packet, sent));
                _watch.WantWritable = true;
                return;
            }
        }

        // Outside the lock: losing the connection completes callers' tasks, and their code may run inline.
        throw Lost($"sending to ctdbd at {_peer} failed: {error}");
    }

    public void Dispose() => Close(null);

    private void OnReady(SocketReadiness readiness)
    {
        // Completions run as on an I/O thread, without the owner's synchronization context:
        // with it, every ConfigureAwait(false) continuation of the client would be queued to
        // the thread pool instead of running inline (.NET inlines only where no custom
        // context is current), and the owner's own awaits come back through its queue anyway.
        var owner = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            if ((readiness & SocketReadiness.Writable) != 0)
            {
                FlushUnsent();
            }

            if ((readiness & SocketReadiness.Readable) != 0)
            {
                Receive();
            }
        }
        catch (ObjectDisposedException)
        {
            // The client was disposed on another thread while this report was on its way.
            Close(null);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(owner);
        }
    }

    private void Receive()
    {
        for (var turn = 0; turn < ReceivesPerTurn && !_closed; turn++)
        {
            var space = _assembler.FreeSpace.Span;
            var n = ReceiveSome(space, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                // A killed ctdbd resets the connection rather than closing it.
                Lost(error == SocketError.ConnectionReset
                    ? $"ctdbd at {_peer} closed the connection ({error})"
                    : $"reading from ctdbd at {_peer} failed: {error}");
                return;
            }

            if (n == 0)
            {
                Lost(_assembler.Pending == 0
                    ? $"ctdbd at {_peer} closed the connection"
                    : $"ctdbd at {_peer} closed the connection in the middle of a packet");
                return;
            }

            _assembler.Advance(n);
            try
            {
                _assembler.TakePackets(_dispatchUnlessClosed);
            }
            catch (CtdbProtocolException e)
            {
                Lost($"unusable packet stream from ctdbd at {_peer}: {e.Message}", e);
                return;
            }

            // A short read emptied the socket: asking again would only return EAGAIN, and the
            // next poll reports whatever arrives meanwhile.
            if (n < space.Length)
            {
                return;
            }
        }
    }

    private void DispatchUnlessClosed(ReadOnlySpan<byte> packet)
    {
        // A packet's handler may have disposed the client: the rest of the burst is moot.
        if (!_closed)
        {
            _onPacket(packet);
        }
    }

    private void FlushUnsent()
    {
        var error = SocketError.Success;
        lock (_sendLock)
        {
            _flushAsked = false;
            if (_unsent.Count > 1)
            {
                JoinUnsent();
            }

            while (_unsent.TryPeek(out var pending))
            {
                pending.Sent = SendSome(pending.Packet, pending.Sent, out error);
                if (error != SocketError.Success || pending.Sent < pending.Packet.Length)
                {
                    break;
                }

                _unsent.Dequeue();
            }

            // Whatever the socket did not take goes out as it drains.
            _watch.WantWritable = _unsent.Count > 0;
        }

        if (error != SocketError.Success)
        {
            Lost($"sending to ctdbd at {_peer} failed: {error}");
        }
    }

    // Caller holds _sendLock. What is left of every queued packet, in order, as one buffer:
    // ctdbd splits its input into packets itself, so one write carries them all.
    private void JoinUnsent()
    {
        var length = 0;
        foreach (var pending in _unsent)
        {
            length += pending.Packet.Length - pending.Sent;
        }

        var joined = new byte[length];
        var offset = 0;
        while (_unsent.TryDequeue(out var pending))
        {
            var rest = pending.Packet.AsSpan(pending.Sent);
            rest.CopyTo(joined.AsSpan(offset));
            offset += rest.Length;
        }

        _unsent.Enqueue(new PendingSend(joined, 0));
    }

    /// <summary>One recv(2) into <paramref name="buffer"/>, retried when a signal interrupts it; the bytes received.</summary>
    private int ReceiveSome(Span<byte> buffer, out SocketError error)
    {
        // The reference keeps the descriptor (and its number) ours during the call, as
        // Socket.Receive's did, while the client may be disposed on another thread; once it
        // is closed, this throws ObjectDisposedException as Socket.Receive did. It must not
        // span the packets' dispatch: a client disposed there waits for every reference.
        var added = false;
        _socket.SafeHandle.DangerousAddRef(ref added);
        try
        {
            fixed (byte* start = buffer)
            {
                while (true)
                {
                    var n = PollNative.recv(Descriptor, start, (nuint)buffer.Length, 0);
                    if (n >= 0)
                    {
                        error = SocketError.Success;
                        return (int)n;
                    }

                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != PollNative.EINTR)
                    {
                        error = SocketErrors.FromErrno(errno);
                        return 0;
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }

    /// <summary>Sends from <paramref name="offset"/> until done or the socket is full; the new offset.</summary>
    /// <remarks>
    /// Sends stay on <see cref="Socket"/>: since a round is one write they are a few a second,
    /// and its native layer calls libc's send through the dynamic linker, where a preloaded
    /// library can see it (the benchmark's start-up probe watches for the first RECD_PING
    /// this way; a direct import binds to libc itself and bypasses LD_PRELOAD).
    /// </remarks>
    private int SendSome(byte[] packet, int offset, out SocketError error)
    {
        while (offset < packet.Length)
        {
            Interlocked.Increment(ref _writes);
            var n = _socket.Send(packet.AsSpan(offset), SocketFlags.None, out error);
            if (error is SocketError.WouldBlock)
            {
                break;
            }

            if (error is SocketError.Interrupted)
            {
                continue;
            }

            if (error is not SocketError.Success)
            {
                return offset;
            }

            offset += n;
        }

        error = SocketError.Success;
        return offset;
    }

    private int Descriptor => (int)_socket.SafeHandle.DangerousGetHandle();

    private CtdbConnectionLostException Lost(string reason, Exception? inner = null)
    {
        var lost = new CtdbConnectionLostException(reason, inner);
        Close(lost);
        return lost;
    }

    private void Close(CtdbConnectionLostException? reason)
    {
        if (reason is null)
        {
            // A plain close sends what was held for the next wait first, as far as the socket
            // takes it at once: those packets had been handed over before the close.
            FlushHeld();
        }

        lock (_sendLock)
        {
            if (_closed)
            {
                return;
            }

            // What was not sent is dropped: the callers' replies fail with the connection.
            _closed = true;
            _unsent.Clear();
        }

        // A closed or broken socket stays ready for ever: watching it further would spin.
        _watch.Dispose();

        if (reason is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _onLost(reason);
            _completion.TrySetException(reason);
        }
    }

    private void FlushHeld()
    {
        lock (_sendLock)
        {
            if (_closed || !_flushAsked)
            {
                return;
            }
        }

        try
        {
            FlushUnsent();
        }
        catch (ObjectDisposedException)
        {
            // The socket went first: nothing more can go out.
        }
    }

    private sealed class PendingSend(byte[] packet, int sent)
    {
        public byte[] Packet { get; } = packet;

        public int Sent { get; set; } = sent;
    }
}
