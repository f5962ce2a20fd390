using System.Net.Sockets;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using static CtdbInterop.Bindings.Tests.Client.FakeCtdbdSocket;

namespace CtdbInterop.Bindings.Tests.Client.Polling;

[Description("issue 7: a client whose socket is read on the poller's own thread (the daemon thread) behaves as the socket-engine client")]
public class PolledClientTests
{
    private PollerPump _pump = null!;
    private FakeCtdbdListener _listener = null!;

    [SetUp]
    public void SetUp()
    {
        _pump = new PollerPump();
        _listener = new FakeCtdbdListener("cti-polled-");
    }

    [TearDown]
    public void TearDown()
    {
        _listener.Dispose();
        _pump.Dispose();
    }

    [Test]
    public async Task Replies_and_messages_complete_on_the_poller_thread()
    {
        // Replies only once the test watches for them, so none completes before that.
        var watching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = ServeAsync(
            requests: 3,
            reply: (header, request) => new ControlReply((int)request.DestNode, ReadOnlyMemory<byte>.Empty, null).Encode(header),
            thenSend: Messages.Leader(2).Encode(CtdbConstants.CurrentNode, 99),
            replyAfter: watching.Task);
        await using var client = await Connect();
        var calls = Enumerable.Range(0, 3).Select(pnn => client.ControlAsync(Controls.GetPnn((uint)pnn), Controls.ParseGetPnn, Limit)).ToList();
        var completedOn = calls.Select(call => call.ContinueWith(_ => Environment.CurrentManagedThreadId, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)).ToList();
        watching.SetResult();

        var pnns = Wait(Task.WhenAll(calls));
        var threads = Wait(Task.WhenAll(completedOn));
        await using var messages = client.ReadMessagesAsync().GetAsyncEnumerator();
        var gotMessage = Wait(messages.MoveNextAsync().AsTask());
        await server.WaitAsync(Limit);

        Assert.Multiple(() =>
        {
            Assert.That(pnns, Is.EqualTo(new uint[] { 0, 1, 2 }));
            Assert.That(threads, Is.All.EqualTo(_pump.ThreadId), "no hand-off to another thread");
            Assert.That(gotMessage, Is.True);
            Assert.That(messages.Current.Srvid, Is.EqualTo(CtdbSrvid.Leader));
        });
    }

    [Test]
    [Description("found in the idle profile: under the daemon thread's own synchronization context, .NET queued the client's ConfigureAwait(false) continuations to the thread pool")]
    public async Task A_reply_completes_the_call_on_the_poller_thread_even_under_a_synchronization_context()
    {
        using var pump = new PollerPump(new OwnContext());
        var watching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = ServeAsync(
            requests: 1,
            reply: (header, request) => new ControlReply(7, ReadOnlyMemory<byte>.Empty, null).Encode(header),
            thenSend: Messages.Leader(2).Encode(CtdbConstants.CurrentNode, 99),
            replyAfter: watching.Task);
        await using var client = await CtdbClient.ConnectAsync(_listener.Path, new CtdbClientOptions { Poller = pump.Poller }).WaitAsync(Limit);
        var call = client.ControlAsync(Controls.GetPnn(0), Controls.ParseGetPnn, Limit);
        var completedOn = call.ContinueWith(_ => Environment.CurrentManagedThreadId, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        watching.SetResult();

        Assert.That(Wait(call), Is.EqualTo(7u));
        Assert.That(Wait(completedOn), Is.EqualTo(pump.ThreadId), "completed inline, not via the thread pool");
        await server.WaitAsync(Limit);
    }

    [Test]
    public async Task A_packet_the_socket_cannot_take_at_once_goes_out_whole_and_in_order_without_blocking_the_caller()
    {
        // Far more than a Unix socket's buffer: the rest waits for writability.
        var big = new byte[8 * 1024 * 1024];
        Random.Shared.NextBytes(big);
        var accepted = _listener.AcceptAsync();
        await using var client = await Connect();
        using var connection = await accepted.WaitAsync(Limit);

        var first = client.ControlAsync(new ControlRequest(CtdbControl.GetPnn, 0, 0, 0, 0, big), Limit);
        var second = client.ControlAsync(Controls.GetPnn(1), Limit);
        var notYetDone = !first.IsCompleted && !second.IsCompleted;

        var requests = new List<(PacketHeader Header, ControlRequest Request)>();
        for (var i = 0; i < 2; i++)
        {
            requests.Add(await ReceivePacketAsync(connection));
        }

        foreach (var (header, request) in requests)
        {
            await connection.SendAsync(new ControlReply(request.Data.Length, ReadOnlyMemory<byte>.Empty, null).Encode(header));
        }

        var replies = Wait(Task.WhenAll(first, second));
        Assert.Multiple(() =>
        {
            Assert.That(notYetDone, Is.True, "the caller was not blocked while the socket was full");
            Assert.That(requests[0].Request.Data.ToArray(), Is.EqualTo(big), "the big packet arrived intact");
            Assert.That(requests[1].Request.Opcode, Is.EqualTo(CtdbControl.GetPnn), "the next packet followed it, not interleaved");
            Assert.That(replies[0].Status, Is.EqualTo(big.Length));
            Assert.That(replies[1].Status, Is.Zero);
        });
    }

    [Test]
    public async Task A_peer_that_closes_in_the_middle_of_a_packet_fails_every_call()
    {
        var accepted = _listener.AcceptAsync();
        await using var client = await Connect();
        using (var connection = await accepted.WaitAsync(Limit))
        {
            var call = client.ControlAsync(Controls.GetPnn(0), Limit);
            var (header, _) = await ReceivePacketAsync(connection);
            var reply = new ControlReply(0, new byte[32], null).Encode(header);
            await connection.SendAsync(reply.AsMemory(0, reply.Length / 2));
            connection.Shutdown(SocketShutdown.Both);

            var failure = Assert.ThrowsAsync<CtdbConnectionLostException>(async () => await call.WaitAsync(Limit));
            Assert.That(failure!.Message, Does.Contain("in the middle of a packet"));
        }

        // A closed socket stays readable for ever: a watch left behind would spin the thread.
        var before = _pump.Dispatched;
        await Task.Delay(300);
        var spun = _pump.Dispatched - before;

        Assert.Multiple(() =>
        {
            Assert.That(spun, Is.LessThan(3), "callbacks after the connection ended");
            Assert.That(client.IsConnected, Is.False);
            Assert.That(async () => await client.Completion.WaitAsync(Limit), Throws.TypeOf<CtdbConnectionLostException>());
            Assert.That(async () => await client.ControlAsync(Controls.GetPnn(0), Limit), Throws.TypeOf<CtdbConnectionLostException>());
        });
    }

    [Test]
    public async Task A_length_no_packet_can_have_ends_the_connection_with_a_clear_reason()
    {
        var accepted = _listener.AcceptAsync();
        await using var client = await Connect();
        using var connection = await accepted.WaitAsync(Limit);
        var call = client.ControlAsync(Controls.GetPnn(0), Limit);
        await ReceivePacketAsync(connection);
        await connection.SendAsync(new byte[] { 5, 0, 0, 0, 1, 2, 3, 4 });

        var failure = Assert.ThrowsAsync<CtdbConnectionLostException>(async () => await call.WaitAsync(Limit));
        Assert.That(failure!.Message, Does.Contain("unusable packet stream").And.Contain("shorter than"));
    }

    [Test]
    public async Task A_silent_peer_times_a_control_out_and_a_cancelled_control_ends_at_once()
    {
        var accepted = _listener.AcceptAsync();
        await using var client = await Connect();
        using var connection = await accepted.WaitAsync(Limit);
        using var cancel = new CancellationTokenSource();
        var timed = client.ControlAsync(Controls.GetPnn(0), TimeSpan.FromMilliseconds(100));
        var cancelled = client.ControlAsync(Controls.GetPnn(1), Timeout.InfiniteTimeSpan, cancel.Token);
        cancel.Cancel();

        var timeout = Assert.ThrowsAsync<CtdbControlTimeoutException>(async () => await timed.WaitAsync(Limit));
        Assert.Multiple(() =>
        {
            Assert.That(timeout!.Opcode, Is.EqualTo(CtdbControl.GetPnn));
            Assert.That(async () => await cancelled.WaitAsync(Limit), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(client.IsConnected, Is.True, "a timeout does not end the connection");
        });
    }

    [Test]
    public async Task Disposing_fails_pending_calls_and_closes_the_socket()
    {
        var accepted = _listener.AcceptAsync();
        var client = await Connect();
        using var connection = await accepted.WaitAsync(Limit);
        var call = client.ControlAsync(Controls.GetPnn(0), Limit);
        await ReceivePacketAsync(connection);

        await client.DisposeAsync().AsTask().WaitAsync(Limit);
        var buffer = new byte[16];
        var eof = await connection.ReceiveAsync(buffer).WaitAsync(Limit);

        Assert.Multiple(() =>
        {
            Assert.That(async () => await call.WaitAsync(Limit), Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(eof, Is.Zero, "the server sees the connection end");
        });
    }

    [Test]
    [Description("issue 7: the recovery daemon takes its messages straight from the poller's callback, not through the queue; none is lost or reordered in the switch")]
    public async Task Messages_go_to_the_handler_in_order_those_queued_before_it_first_then_on_the_poller_thread()
    {
        await using var client = await Connect();
        using var connection = await _listener.AcceptAsync().WaitAsync(Limit);
        await connection.SendAsync(Messages.Leader(1).Encode(CtdbConstants.CurrentNode, 1));
        await connection.SendAsync(Messages.Leader(2).Encode(CtdbConstants.CurrentNode, 2));
        for (var i = 0; i < 500 && client.Messages.Count < 2; i++)
        {
            await Task.Delay(10);
        }

        var got = new List<(uint Leader, int Thread)>();
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queuedBefore = client.Messages.Count;
        client.DeliverMessagesTo(message =>
        {
            lock (got)
            {
                got.Add((Messages.ParseLeader(message.Packet), Environment.CurrentManagedThreadId));
                if (got.Count == 4)
                {
                    third.TrySetResult();
                }
            }
        });
        var handedOverOn = Environment.CurrentManagedThreadId;
        await connection.SendAsync(Messages.Leader(3).Encode(CtdbConstants.CurrentNode, 3));
        await connection.SendAsync(Messages.Leader(4).Encode(CtdbConstants.CurrentNode, 4));
        await third.Task.WaitAsync(Limit);

        Assert.Multiple(() =>
        {
            Assert.That(queuedBefore, Is.EqualTo(2), "two were queued before the switch");
            Assert.That(got.Select(g => g.Leader), Is.EqualTo(new uint[] { 1, 2, 3, 4 }));
            Assert.That(got.Take(2).Select(g => g.Thread), Is.All.EqualTo(handedOverOn), "the queued ones on the caller's thread");
            Assert.That(got.Skip(2).Select(g => g.Thread), Is.All.EqualTo(_pump.ThreadId), "the later ones on the poller's");
            Assert.That(client.Messages.TryRead(out _), Is.False, "none left on the queue");
        });
    }

    /// <summary>
    /// Waits on the test's thread: an await would resume on the pump thread that completed the
    /// task, and the test would go on (and dispose the pump) from there.
    /// </summary>
    private static T Wait<T>(Task<T> task) => task.WaitAsync(Limit).GetAwaiter().GetResult();

    /// <summary>Any context of a type of its own: .NET inlines continuations only where none such is current.</summary>
    private sealed class OwnContext : SynchronizationContext
    {
    }

    private Task<CtdbClient> Connect() =>
        CtdbClient.ConnectAsync(_listener.Path, new CtdbClientOptions { Poller = _pump.Poller }).WaitAsync(Limit);

    private async Task ServeAsync(int requests, Func<PacketHeader, ControlRequest, byte[]> reply, byte[] thenSend, Task replyAfter)
    {
        using var connection = await _listener.AcceptAsync();
        var received = new List<(PacketHeader Header, ControlRequest Request)>();
        for (var i = 0; i < requests; i++)
        {
            received.Add(await ReceivePacketAsync(connection));
        }

        await replyAfter.WaitAsync(Limit);
        foreach (var (header, request) in received)
        {
            await connection.SendAsync(reply(header, request));
        }

        await connection.SendAsync(thenSend);
    }

    [Test]
    [Description("issue 7: what the daemon thread sends in one burst of work reaches ctdbd as one write, made when the thread is about to sleep")]
    public async Task Controls_sent_on_the_poller_thread_are_held_until_it_sleeps_and_go_out_as_one_write()
    {
        using var ctdbd = new AnsweringFakeCtdbd();
        await using var client = await CtdbClient.ConnectAsync(ctdbd.Path, new CtdbClientOptions { Poller = _pump.Poller }).WaitAsync(Limit);
        await client.ControlAsync(Controls.GetPnn(0), Limit).WaitAsync(Limit);
        var writesBefore = client.SocketWrites;

        // A socket of its own, watched by the same poller, runs the daemon's burst on the
        // poller thread: a round of three and a single control.
        using var trigger = new FakeCtdbdListener("cti-trigger-");
        using var poke = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await poke.ConnectAsync(new UnixDomainSocketEndPoint(trigger.Path)).WaitAsync(Limit);
        using var poked = await trigger.AcceptAsync().WaitAsync(Limit);
        var burst = new TaskCompletionSource<(bool, Task)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = _pump.Poller.Watch(poked, _ =>
        {
            poked.Receive(new byte[1]);
            var onPoller = Environment.CurrentManagedThreadId == _pump.ThreadId;
            var round = client.ControlRoundAsync([Controls.GetPnn(0), Controls.GetPnn(1), Controls.GetPnn(2)], Limit);
            var single = client.ControlAsync(Controls.GetPnn(1), Limit);
            burst.TrySetResult((onPoller, Task.WhenAll(round, single)));
        });
        poke.Send([1]);
        // Awaited, not waited for: this method may itself be running on the poller thread,
        // where an earlier reply resumed it.
        var (sentOnPoller, answered) = await burst.Task.WaitAsync(Limit);
        await answered.WaitAsync(Limit);

        Assert.Multiple(() =>
        {
            Assert.That(sentOnPoller, Is.True);
            Assert.That(client.SocketWrites - writesBefore, Is.EqualTo(1), "four controls, one write");
        });
    }

    [Test]
    public async Task Sends_from_other_threads_go_out_at_once()
    {
        using var ctdbd = new AnsweringFakeCtdbd();
        await using var client = await CtdbClient.ConnectAsync(ctdbd.Path, new CtdbClientOptions { Poller = _pump.Poller }).WaitAsync(Limit);
        var writesBefore = client.SocketWrites;

        // On a pool thread: this method may have been resumed on the poller thread.
        var (calls, writtenAtOnce) = await Task.Run(() =>
        {
            var started = new[] { client.ControlAsync(Controls.GetPnn(0), Limit), client.ControlAsync(Controls.GetPnn(1), Limit) };
            return (started, client.SocketWrites - writesBefore);
        }).WaitAsync(Limit);
        await Task.WhenAll(calls).WaitAsync(Limit);

        Assert.That(writtenAtOnce, Is.EqualTo(2), "written before the calls returned, not held for the poller thread");
    }
}
