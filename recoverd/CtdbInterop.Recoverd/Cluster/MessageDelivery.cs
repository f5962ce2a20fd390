using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>
/// Hands the client's messages to the daemon's handler one at a time, in arrival order, on the
/// daemon thread, straight from the poller's callback (issue 7, idle CPU: the queue and the
/// async reader each message used to pass through were a tenth of an idle follower's code).
/// A message is held instead, and handed over later from the thread's own queue, while
/// <list type="bullet">
/// <item>the handler's task for the message before is still running (one at a time, as the C
/// daemon's handlers run),</item>
/// <item>the thread waits for an iteration's replies (<see cref="CtdbdGateway.StartIteration"/>):
/// a handler must not run in the middle of the iteration's synchronous code,</item>
/// <item>other messages are held (order).</item>
/// </list>
/// A message read on another thread (a client without a poller) is posted to the daemon thread
/// first. Everything else here runs on the daemon thread only.
/// </summary>
internal sealed class MessageDelivery
{
    private readonly Queue<MessagePacket> _held = new();
    private readonly SynchronizationContext _context;
    private readonly Func<MessagePacket, Task> _handler;
    private readonly CancellationToken _stopping;
    private bool _handling;
    private bool _drainPosted;
    private bool _waitingHere;

    /// <summary>Delivers on the caller's synchronization context (the daemon thread's).</summary>
    public MessageDelivery(Func<MessagePacket, Task> handler, CancellationToken stopping)
    {
        _handler = handler;
        _stopping = stopping;
        _context = SynchronizationContext.Current ?? new SynchronizationContext();
    }

    /// <summary>Messages held now (for tests).</summary>
    internal int Held => _held.Count;

    /// <summary>The client's callback.</summary>
    public void Receive(IncomingMessage message)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        if (SynchronizationContext.Current != _context)
        {
            // Read on another thread (a client without a poller): on to the daemon thread, in order.
            _context.Post(static state => { var (owner, message) = ((MessageDelivery, IncomingMessage))state!; owner.Receive(message); }, (this, message));
            return;
        }

        if (_handling || _waitingHere || _held.Count > 0)
        {
            Hold(message.Packet);
            return;
        }

        Deliver(message.Packet);
    }

    /// <summary>
    /// Marks the thread's wait for an iteration's replies: messages that arrive meanwhile are
    /// held and handed over from the thread's queue once it ends.
    /// </summary>
    public WaitingHere WaitHere()
    {
        _waitingHere = true;
        return new WaitingHere(this);
    }

    private void Hold(MessagePacket packet)
    {
        _held.Enqueue(packet);
        PostDrain();
    }

    private void PostDrain()
    {
        if (_drainPosted || _handling || _waitingHere || _held.Count == 0)
        {
            return;
        }

        _drainPosted = true;
        _context.Post(static state => ((MessageDelivery)state!).Drain(), this);
    }

    private void Drain()
    {
        _drainPosted = false;
        // Bounded by what is held: each pass hands one over or stops.
        while (!_handling && !_waitingHere && !_stopping.IsCancellationRequested && _held.TryDequeue(out var packet))
        {
            Deliver(packet);
        }

        if (_stopping.IsCancellationRequested)
        {
            _held.Clear();
        }
    }

    private void Deliver(MessagePacket packet)
    {
        var handled = _handler(packet);
        if (!handled.IsCompleted)
        {
            _handling = true;
            _ = ResumeAfterAsync(handled);
        }
    }

    private async Task ResumeAfterAsync(Task handled)
    {
        try
        {
            await handled.ConfigureAwait(true);
        }
        catch (Exception)
        {
            // The handler reports its own failures; this only orders the messages.
        }

        _handling = false;
        PostDrain();
    }

    /// <summary>Ends the wait <see cref="MessageDelivery.WaitHere"/> began.</summary>
    public readonly struct WaitingHere(MessageDelivery owner) : IDisposable
    {
        public void Dispose()
        {
            owner._waitingHere = false;
            owner.PostDrain();
        }
    }
}
