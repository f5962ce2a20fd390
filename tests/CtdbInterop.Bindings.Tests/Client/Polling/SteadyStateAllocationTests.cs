using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Client.Polling;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Client.Polling;

/// <summary>
/// The bytes the polled client allocates on the thread that drives it (the daemon thread's
/// shape: it sends, polls, receives and completes), per steady-state call, after a warm-up.
/// Counting bytes instead of timing keeps the tests deterministic. The budgets include what
/// the public API itself must allocate: the returned task, the results, each reply and its
/// payload, each packet sent.
/// </summary>
[Description("issue 7, idle CPU: the daemon's once-a-second reads and the leader broadcast allocate within a fixed budget")]
public class SteadyStateAllocationTests
{
    private const int WarmUpCalls = 200;
    private const int MeasuredCalls = 1000;

    // Bytes per call. Measured before issue 7's client work: 2010, 1784, 720 and 136; after
    // it: 1416, 1264, 472 and 32; with a round's packets encoded into one buffer: 1296 and
    // 1216 for the rounds. Most of what is left is the packets, the replies with their
    // payloads, the results and the returned task.
    private const long RoundOfSixBudget = 1380;
    private const long SameControlToThreeBudget = 1280;
    private const long SingleControlBudget = 520;
    private const long MessageBudget = 48;
    private static readonly TimeSpan ControlTimeout = TimeSpan.FromSeconds(30);

    private AnsweringFakeCtdbd _ctdbd = null!;
    private ReadinessPoller _poller = null!;
    private CancellationTokenSource _daemonStop = null!;
    private CtdbClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _ctdbd = new AnsweringFakeCtdbd();
        _poller = new ReadinessPoller();
        // The daemon's calls carry its stop token, which can be cancelled.
        _daemonStop = new CancellationTokenSource();
        _client = CtdbClient.ConnectAsync(_ctdbd.Path, new CtdbClientOptions
        {
            Poller = _poller,
            CompleteOnReaderThread = true,
            TimeoutClock = new ThreadTimers(),
        }).WaitAsync(FakeCtdbdSocket.Limit).GetAwaiter().GetResult();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _client.DisposeAsync();
        _poller.Dispose();
        _daemonStop.Dispose();
        _ctdbd.Dispose();
    }

    [Test]
    public void A_round_of_the_six_local_reads()
    {
        ControlRequest[] requests =
        [
            Controls.RecdPing(CtdbConstants.CurrentNode),
            Controls.GetDebug(CtdbConstants.CurrentNode),
            Controls.GetAllTunables(CtdbConstants.CurrentNode),
            Controls.GetRunstate(CtdbConstants.CurrentNode),
            Controls.GetNodemap(0),
            Controls.GetRecmode(CtdbConstants.CurrentNode),
        ];
        var failed = 0;

        var bytes = BytesPerCall(() =>
        {
            var results = Drive(_client.ControlRoundAsync(requests, ControlTimeout, _daemonStop.Token));
            foreach (var result in results)
            {
                failed += result.Succeeded ? 0 : 1;
            }
        });

        Report(bytes);
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.Zero);
            Assert.That(bytes, Is.LessThanOrEqualTo(RoundOfSixBudget));
        });
    }

    [Test]
    public void The_same_control_to_three_nodes()
    {
        uint[] pnns = [0, 1, 2];
        var request = Controls.GetCapabilities(0);
        var failed = 0;

        var bytes = BytesPerCall(() =>
        {
            var results = Drive(_client.ControlManyAsync(pnns, request, ControlTimeout, _daemonStop.Token));
            for (var i = 0; i < results.Count; i++)
            {
                failed += results[i].Succeeded && results[i].Pnn == pnns[i] ? 0 : 1;
            }
        });

        Report(bytes);
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.Zero);
            Assert.That(bytes, Is.LessThanOrEqualTo(SameControlToThreeBudget));
        });
    }

    [Test]
    public void A_single_control()
    {
        var request = Controls.GetRunstate(CtdbConstants.CurrentNode);
        var failed = 0;

        var bytes = BytesPerCall(() => failed += Drive(_client.ControlAsync(request, ControlTimeout, _daemonStop.Token)).IsSuccess ? 0 : 1);

        Report(bytes);
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.Zero);
            Assert.That(bytes, Is.LessThanOrEqualTo(SingleControlBudget));
        });
    }

    [Test]
    public async Task A_message_handed_to_the_reader()
    {
        // Read as the daemon reads them, one await foreach over the whole connection, but
        // without a token: with one, the channel completes each wait on the thread pool.
        await using var messages = _client.ReadMessagesAsync().GetAsyncEnumerator();
        var wrong = 0;

        var bytes = BytesPerCall(() =>
        {
            var next = messages.MoveNextAsync();
            _ctdbd.SendLeaderMessage();
            wrong += Drive(next) && messages.Current.Srvid == CtdbSrvid.Leader && messages.Current.Data.Length == 4 ? 0 : 1;
        });

        Report(bytes);
        Assert.Multiple(() =>
        {
            Assert.That(wrong, Is.Zero);
            Assert.That(bytes, Is.LessThanOrEqualTo(MessageBudget));
        });
    }

    /// <summary>Bytes this thread allocates per <paramref name="call"/>, averaged over many after a warm-up.</summary>
    private static long BytesPerCall(Action call)
    {
        for (var i = 0; i < WarmUpCalls; i++)
        {
            call();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < MeasuredCalls; i++)
        {
            call();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / MeasuredCalls;
    }

    private static void Report(long bytes) => TestContext.Out.WriteLine($"{TestContext.CurrentContext.Test.Name}: {bytes} bytes per call");

    /// <summary>Runs the poller on this thread, as the daemon thread does, until <paramref name="call"/> is done.</summary>
    private T Drive<T>(Task<T> call)
    {
        var deadline = Environment.TickCount64 + (long)FakeCtdbdSocket.Limit.TotalMilliseconds;
        while (!call.IsCompleted && Environment.TickCount64 < deadline)
        {
            _poller.WaitAndDispatch(1000);
        }

        return call.WaitAsync(TimeSpan.Zero).GetAwaiter().GetResult();
    }

    /// <summary>The same for a message reader's step (a value task, consumed here once).</summary>
    private bool Drive(ValueTask<bool> next)
    {
        var deadline = Environment.TickCount64 + (long)FakeCtdbdSocket.Limit.TotalMilliseconds;
        while (!next.IsCompleted && Environment.TickCount64 < deadline)
        {
            _poller.WaitAndDispatch(1000);
        }

        return next.IsCompleted ? next.Result : throw new TimeoutException("no message within the time limit");
    }

    /// <summary>
    /// A clock whose timers belong to the driving thread, like the daemon thread's own: one
    /// small object per timer and nothing else. The tests end long before any would fire.
    /// </summary>
    private sealed class ThreadTimers : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new IdleTimer();

        private sealed class IdleTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
