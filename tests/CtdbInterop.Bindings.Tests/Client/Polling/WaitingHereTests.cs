using System.Collections.Concurrent;
using System.Net.Sockets;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Client.Polling;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using static CtdbInterop.Bindings.Tests.Client.FakeCtdbdSocket;

namespace CtdbInterop.Bindings.Tests.Client.Polling;

[Description("issue 7: the daemon thread waits for an idle iteration's replies itself, so answered rounds cost no timer, registration or queued continuation")]
public class WaitingHereTests
{
    private static readonly TimeSpan WaitHere = TimeSpan.FromSeconds(5);
    private static readonly int[] FirstRoundStatuses = [0, 1];
    private static readonly int[] SecondRoundStatuses = [2];
    private static readonly bool[] OnlyFirstDone = [true, false];
    private static readonly int[] OffThreadStatuses = [3, 4];

    private PollingThread _thread = null!;
    private FakeCtdbdListener _listener = null!;

    [SetUp]
    public void SetUp()
    {
        _thread = new PollingThread();
        _listener = new FakeCtdbdListener("cti-waithere-");
    }

    [TearDown]
    public void TearDown()
    {
        _listener.Dispose();
        _thread.Dispose();
    }

    [Test]
    public async Task Rounds_answered_in_time_come_back_completed_sent_in_one_write_with_messages_dispatched_meanwhile()
    {
        var server = ServeAsync(answer: _ => true, messageFirst: true);
        await using var client = await Connect();
        var writesBefore = client.SocketWrites;

        var tasks = await _thread.Run(() =>
            client.ControlRoundsWaitingHere([[Controls.GetPnn(0), Controls.GetPnn(1)], [Controls.GetPnn(2)]], Limit, WaitHere));

        Assert.Multiple(() =>
        {
            Assert.That(tasks.Select(t => t.IsCompletedSuccessfully), Is.All.True, "completed before the call returned");
            Assert.That(tasks[0].Result.Select(r => r.Reply!.Status), Is.EqualTo(FirstRoundStatuses));
            Assert.That(tasks[1].Result.Select(r => r.Reply!.Status), Is.EqualTo(SecondRoundStatuses));
            Assert.That(client.SocketWrites - writesBefore, Is.EqualTo(1), "both rounds in one write");
            Assert.That(client.Messages.TryRead(out var message) && message.Packet.Srvid == CtdbSrvid.Leader, Is.True, "the message that came first was dispatched as usual");
        });
        server.Stop();
    }

    [Test]
    public async Task A_round_not_answered_in_time_is_awaited_as_usual_and_times_out_under_its_limit()
    {
        // Node 5 never answers.
        var server = ServeAsync(answer: request => request.DestNode != 5, messageFirst: false);
        await using var client = await Connect();
        var limit = TimeSpan.FromMilliseconds(300);

        var (tasks, doneOnReturn) = await _thread.Run(() =>
        {
            // Long enough for node 1's answer on a busy machine; node 5's never comes.
            var started = client.ControlRoundsWaitingHere([[Controls.GetPnn(1)], [Controls.GetPnn(5)]], limit, TimeSpan.FromSeconds(2));
            return (started, started.Select(t => t.IsCompleted).ToArray());
        });
        var late = await tasks[1].WaitAsync(Limit);

        Assert.Multiple(() =>
        {
            Assert.That(doneOnReturn, Is.EqualTo(OnlyFirstDone), "the thread was held only for the time given");
            Assert.That(tasks[0].Result[0].Reply!.Status, Is.EqualTo(1));
            Assert.That(late[0].Error, Is.TypeOf<CtdbControlTimeoutException>());
        });
        server.Stop();
    }

    [Test]
    public async Task Off_the_polling_thread_the_rounds_are_awaited_as_usual()
    {
        var server = ServeAsync(answer: _ => true, messageFirst: false);
        await using var client = await Connect();

        var tasks = client.ControlRoundsWaitingHere([[Controls.GetPnn(3)], [Controls.GetPnn(4)]], Limit, WaitHere);
        var results = await Task.WhenAll(tasks).WaitAsync(Limit);

        Assert.That(results.Select(r => r[0].Reply!.Status), Is.EqualTo(OffThreadStatuses));
        server.Stop();
    }

    [Test]
    [Description("a wait nested in a readiness callback would overwrite the wait that runs the callback")]
    public async Task The_poller_may_be_waited_on_only_by_its_own_thread_outside_its_callbacks()
    {
        using var pair = new SocketPair();
        var inCallback = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (watch, outside) = await _thread.Run(() =>
        {
            var watch = _thread.Poller.Watch(pair.Near, _ =>
            {
                // The byte is left unread, so this runs at every wait until the watch ends
                // below; the first answer is the one kept.
                inCallback.TrySetResult(_thread.Poller.CanWaitHere);
            });
            return (watch, _thread.Poller.CanWaitHere);
        });
        pair.Far.Send([1]);
        var insideCallback = await inCallback.Task.WaitAsync(Limit);
        watch.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(outside, Is.True, "on its thread, between callbacks");
            Assert.That(insideCallback, Is.False, "inside a callback");
            Assert.That(_thread.Poller.CanWaitHere, Is.False, "on another thread");
        });
    }

    private Task<CtdbClient> Connect() =>
        CtdbClient.ConnectAsync(_listener.Path, new CtdbClientOptions { Poller = _thread.Poller }).WaitAsync(Limit);

    /// <summary>Answers the controls <paramref name="answer"/> picks with their destination as the status.</summary>
    private FakeServer ServeAsync(Func<ControlRequest, bool> answer, bool messageFirst)
    {
        var stop = new CancellationTokenSource();
        var task = Task.Run(async () =>
        {
            using var connection = await _listener.AcceptAsync().WaitAsync(Limit);
            var sentMessage = false;
            while (!stop.IsCancellationRequested)
            {
                (PacketHeader Header, ControlRequest Request) packet;
                try
                {
                    packet = await ReceivePacketAsync(connection).WaitAsync(stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or TimeoutException)
                {
                    return;
                }

                if (messageFirst && !sentMessage)
                {
                    sentMessage = true;
                    await connection.SendAsync(Messages.Leader(2).Encode(CtdbConstants.CurrentNode, 99));
                }

                if (answer(packet.Request))
                {
                    await connection.SendAsync(new ControlReply((int)packet.Request.DestNode, ReadOnlyMemory<byte>.Empty, null).Encode(packet.Header));
                }
            }
        });
        return new FakeServer(stop, task);
    }

    private sealed class FakeServer(CancellationTokenSource stop, Task serving)
    {
        public void Stop()
        {
            stop.Cancel();
            serving.Wait(Limit);
            stop.Dispose();
        }
    }

    private sealed class SocketPair : IDisposable
    {
        public SocketPair()
        {
            var directory = Directory.CreateTempSubdirectory("cti-pair-");
            var path = Path.Combine(directory.FullName, "s");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            Far = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            Far.Connect(new UnixDomainSocketEndPoint(path));
            Near = listener.Accept();
            directory.Delete(recursive: true);
        }

        public Socket Near { get; }

        public Socket Far { get; }

        public void Dispose()
        {
            Near.Dispose();
            Far.Dispose();
        }
    }

    /// <summary>A thread that drives a poller and runs work given to it between waits, as the daemon thread does.</summary>
    private sealed class PollingThread : IDisposable
    {
        private readonly ConcurrentQueue<Action> _work = new();
        private readonly Thread _thread;
        private volatile bool _stopping;

        public PollingThread()
        {
            _thread = new Thread(() =>
            {
                while (!_stopping)
                {
                    Poller.WaitAndDispatch(1000);
                    while (_work.TryDequeue(out var work))
                    {
                        work();
                    }
                }
            })
            { IsBackground = true, Name = "test polling thread" };
            _thread.Start();
        }

        public ReadinessPoller Poller { get; } = new();

        public Task<T> Run<T>(Func<T> work)
        {
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _work.Enqueue(() =>
            {
                try
                {
                    done.SetResult(work());
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            });
            Poller.Wake();
            return done.Task.WaitAsync(Limit);
        }

        public void Dispose()
        {
            _stopping = true;
            Poller.Wake();
            _thread.Join(Limit);
            Poller.Dispose();
        }
    }
}
