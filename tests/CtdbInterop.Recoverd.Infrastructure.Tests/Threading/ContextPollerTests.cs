using System.Net.Sockets;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Client.Polling;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Recoverd.Threading;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Threading;

[Description("issue 7: the daemon thread waits for its sockets, its timers and posted work in one poll")]
public class ContextPollerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Test]
    public void A_watched_socket_is_served_on_the_daemon_thread()
    {
        var (pollerThread, loopThread, received) = SingleThreadContext.Run(async () =>
        {
            var thread = Environment.CurrentManagedThreadId;
            var (ours, theirs) = SocketPair();
            using (ours)
            using (theirs)
            {
                var ready = new TaskCompletionSource<(int Thread, byte Value)>();
                using var watch = SingleThreadContext.CurrentPoller!.Watch(ours, readiness =>
                {
                    var buffer = new byte[1];
                    ours.Blocking = false;
                    var n = ours.Receive(buffer, SocketFlags.None, out var error);
                    if (error == SocketError.Success && n == 1)
                    {
                        ready.TrySetResult((Environment.CurrentManagedThreadId, buffer[0]));
                    }
                });

                // From another thread, while the daemon thread sleeps with no timer armed.
                _ = Task.Run(() => theirs.Send([42]));
                var (callbackThread, value) = await ready.Task.WaitAsync(Limit);
                return (callbackThread, thread, value);
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(pollerThread, Is.EqualTo(loopThread));
            Assert.That(received, Is.EqualTo(42));
        });
    }

    [Test]
    public void Work_posted_from_another_thread_wakes_a_daemon_thread_that_sleeps_without_a_timer()
    {
        var sameThread = SingleThreadContext.Run(async () =>
        {
            var thread = Environment.CurrentManagedThreadId;
            var context = SynchronizationContext.Current!;
            var done = new TaskCompletionSource<int>();
            _ = Task.Run(async () =>
            {
                await Task.Delay(50);
                context.Post(_ => done.SetResult(Environment.CurrentManagedThreadId), null);
            });
            // A missed wake-up would hang here until the limit (no timer would end the poll).
            var ranOn = await done.Task.WaitAsync(Limit);
            return ranOn == thread;
        });

        Assert.That(sameThread, Is.True);
    }

    [Test]
    [Description("found in the idle profile: work the daemon thread posted while serving a socket woke the thread through the eventfd")]
    public void Work_the_daemon_thread_posts_while_serving_a_socket_costs_no_wake_up()
    {
        var (wakes, ran) = SingleThreadContext.Run(async () =>
        {
            var context = SynchronizationContext.Current!;
            var poller = SingleThreadContext.CurrentPoller!;
            var (ours, theirs) = SocketPair();
            using (ours)
            using (theirs)
            {
                var posted = new TaskCompletionSource<bool>();
                long before = 0;
                using var watch = poller.Watch(ours, readiness =>
                {
                    ours.Blocking = false;
                    _ = ours.Receive(new byte[1].AsSpan(), SocketFlags.None, out _);
                    before = poller.Wakes;
                    context.Post(_ => posted.TrySetResult(true), null);
                });

                theirs.Send([1]);
                var ok = await posted.Task.WaitAsync(Limit);
                return (poller.Wakes - before, ok);
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.True);
            Assert.That(wakes, Is.Zero);
        });
    }

    [Test]
    public void A_control_without_a_reply_times_out_on_the_daemon_threads_own_clock()
    {
        var directory = Directory.CreateTempSubdirectory("cti-ctxclient-");
        try
        {
            var path = Path.Combine(directory.FullName, "ctdbd.socket");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            var (timedOut, onThread) = SingleThreadContext.Run(async () =>
            {
                var thread = Environment.CurrentManagedThreadId;
                await using var client = await CtdbClient.ConnectAsync(path, new CtdbClientOptions
                {
                    Poller = SingleThreadContext.CurrentPoller,
                    TimeoutClock = SingleThreadContext.TimersFor(TimeProvider.System),
                });
                using var silent = await listener.AcceptAsync().WaitAsync(Limit);
                try
                {
                    await client.ControlAsync(Controls.GetPnn(0), TimeSpan.FromMilliseconds(100)).WaitAsync(Limit);
                    return (false, false);
                }
                catch (CtdbControlTimeoutException)
                {
                    return (true, Environment.CurrentManagedThreadId == thread);
                }
            });

            Assert.Multiple(() =>
            {
                Assert.That(timedOut, Is.True);
                Assert.That(onThread, Is.True);
            });
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void Outside_a_daemon_context_there_is_no_poller()
    {
        Assert.That(SingleThreadContext.CurrentPoller, Is.Null);
    }

    private static (Socket Ours, Socket Theirs) SocketPair()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cti-ctxpoll-{Guid.NewGuid():N}.socket");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var ours = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        ours.Connect(new UnixDomainSocketEndPoint(path));
        var theirs = listener.Accept();
        File.Delete(path);
        return (ours, theirs);
    }
}
