using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Cluster;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Cluster;

[Description("issue 7: messages reach the daemon's handler straight from the poller's callback, one at a time, in order, never inside an iteration's wait")]
public class MessageDeliveryTests
{
    private QueuedContext _context = null!;
    private SynchronizationContext? _previous;
    private CancellationTokenSource _stopping = null!;
    private List<ulong> _handled = null!;
    private Queue<TaskCompletionSource> _pending = null!;

    [SetUp]
    public void SetUp()
    {
        _previous = SynchronizationContext.Current;
        _context = new QueuedContext();
        SynchronizationContext.SetSynchronizationContext(_context);
        _stopping = new CancellationTokenSource();
        _handled = [];
        _pending = [];
    }

    [TearDown]
    public void TearDown()
    {
        SynchronizationContext.SetSynchronizationContext(_previous);
        _stopping.Dispose();
    }

    [Test]
    public void A_message_is_handled_at_once_when_nothing_is_held()
    {
        var delivery = Delivery(finishAtOnce: true);

        delivery.Receive(Message(1));

        Assert.Multiple(() =>
        {
            Assert.That(_handled, Is.EqualTo(new ulong[] { 1 }));
            Assert.That(_context.Queued, Is.Zero, "nothing posted");
        });
    }

    [Test]
    public void Messages_wait_for_the_handler_still_at_work_and_follow_in_order()
    {
        var delivery = Delivery(finishAtOnce: false);

        delivery.Receive(Message(1));
        delivery.Receive(Message(2));
        delivery.Receive(Message(3));
        var whileFirstRuns = _handled.ToArray();
        _pending.Dequeue().SetResult();
        _context.RunAll();
        var afterFirst = _handled.ToArray();
        _pending.Dequeue().SetResult();
        _context.RunAll();

        Assert.Multiple(() =>
        {
            Assert.That(whileFirstRuns, Is.EqualTo(new ulong[] { 1 }));
            Assert.That(afterFirst, Is.EqualTo(new ulong[] { 1, 2 }), "one at a time");
            Assert.That(_handled, Is.EqualTo(new ulong[] { 1, 2, 3 }));
        });
    }

    [Test]
    public void Messages_that_arrive_while_the_thread_waits_for_replies_are_handled_from_its_queue_after_the_wait()
    {
        var delivery = Delivery(finishAtOnce: true);

        using (delivery.WaitHere())
        {
            delivery.Receive(Message(1));
            delivery.Receive(Message(2));
            Assert.That(_handled, Is.Empty, "not inside the wait");
        }

        Assert.That(_handled, Is.Empty, "not inside the code that waited either");
        _context.RunAll();
        Assert.That(_handled, Is.EqualTo(new ulong[] { 1, 2 }));
    }

    [Test]
    public void A_message_behind_held_ones_does_not_overtake_them()
    {
        var delivery = Delivery(finishAtOnce: true);
        using (delivery.WaitHere())
        {
            delivery.Receive(Message(1));
        }

        delivery.Receive(Message(2));
        _context.RunAll();

        Assert.That(_handled, Is.EqualTo(new ulong[] { 1, 2 }));
    }

    [Test]
    public void A_message_read_on_another_thread_is_handled_on_the_daemon_thread()
    {
        var delivery = Delivery(finishAtOnce: true);

        Task.Run(() => delivery.Receive(Message(7))).Wait(TimeSpan.FromSeconds(10));
        var before = _handled.Count;
        _context.RunAll();

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.Zero);
            Assert.That(_handled, Is.EqualTo(new ulong[] { 7 }));
        });
    }

    [Test]
    public void A_handler_that_fails_does_not_stop_the_next_message()
    {
        var delivery = Delivery(finishAtOnce: false);

        delivery.Receive(Message(1));
        delivery.Receive(Message(2));
        _pending.Dequeue().SetException(new InvalidOperationException("boom"));
        _context.RunAll();

        Assert.That(_handled, Is.EqualTo(new ulong[] { 1, 2 }));
    }

    [Test]
    public void Once_stopping_nothing_more_is_handled()
    {
        var delivery = Delivery(finishAtOnce: true);
        using (delivery.WaitHere())
        {
            delivery.Receive(Message(1));
        }

        _stopping.Cancel();
        delivery.Receive(Message(2));
        _context.RunAll();

        Assert.Multiple(() =>
        {
            Assert.That(_handled, Is.Empty);
            Assert.That(delivery.Held, Is.Zero, "the held one is let go");
        });
    }

    private MessageDelivery Delivery(bool finishAtOnce) =>
        new(packet =>
        {
            _handled.Add(packet.Srvid);
            if (finishAtOnce)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource();
            _pending.Enqueue(done);
            return done.Task;
        }, _stopping.Token);

    private static IncomingMessage Message(ulong srvid) => new(srvid, new byte[] { 1, 0, 0, 0 });

    /// <summary>The daemon thread's queue, run by hand.</summary>
    private sealed class QueuedContext : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();

        public int Queued
        {
            get
            {
                lock (_queue)
                {
                    return _queue.Count;
                }
            }
        }

        public override void Post(SendOrPostCallback d, object? state)
        {
            lock (_queue)
            {
                _queue.Enqueue((d, state));
            }
        }

        public void RunAll()
        {
            for (var i = 0; i < 1000; i++)
            {
                (SendOrPostCallback Callback, object? State) item;
                lock (_queue)
                {
                    if (!_queue.TryDequeue(out item))
                    {
                        return;
                    }
                }

                item.Callback(item.State);
            }
        }
    }
}
