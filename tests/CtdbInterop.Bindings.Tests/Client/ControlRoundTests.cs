using System.Net.Sockets;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Tests.Client.Polling;
using CtdbInterop.Bindings.Wire;
using static CtdbInterop.Bindings.Tests.Client.FakeCtdbdSocket;

namespace CtdbInterop.Bindings.Tests.Client;

[Description("issue 7: controls sent and awaited as one round keep the outcome each would have had alone")]
[TestFixture(true)]
[TestFixture(false)]
public class ControlRoundTests(bool polled)
{
    private PollerPump? _pump;
    private FakeCtdbdListener _listener = null!;

    [SetUp]
    public void SetUp()
    {
        _pump = polled ? new PollerPump() : null;
        _listener = new FakeCtdbdListener("cti-round-");
    }

    [TearDown]
    public void TearDown()
    {
        _listener.Dispose();
        _pump?.Dispose();
    }

    [Test]
    public async Task Replies_answered_in_any_order_come_back_in_request_order()
    {
        var accepted = _listener.AcceptAsync();
        await using var client = await Connect();
        using var connection = await accepted.WaitAsync(Limit);
        var requests = new[] { Controls.GetPnn(2), Controls.GetRecmode(0), Controls.GetPnn(1) };

        var round = client.ControlRoundAsync(requests, Limit);
        var received = new List<(PacketHeader Header, ControlRequest Request)>();
        for (var i = 0; i < requests.Length; i++)
        {
            received.Add(await ReceivePacketAsync(connection));
        }

        received.Reverse();
        foreach (var (header, request) in received)
        {
            await connection.SendAsync(new ControlReply(100 + (int)request.Opcode, ReadOnlyMemory<byte>.Empty, null).Encode(header));
        }

        var results = await round.WaitAsync(Limit);
        var ids = received.Select(r => r.Header.ReqId).Order().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Pnn), Is.EqualTo(new uint[] { 2, 0, 1 }));
            Assert.That(results.Select(r => r.Reply!.Status), Is.EqualTo(requests.Select(r => 100 + (int)r.Opcode)));
            Assert.That(results.Select(r => r.Error), Is.All.Null);
            Assert.That(ids, Is.EqualTo(Enumerable.Range((int)ids[0], 3).Select(i => (uint)i)), "consecutive request ids");
        });
    }

    [Test]
    public async Task A_control_left_unanswered_times_out_alone()
    {
        var accepted = _listener.AcceptAsync();
        await using var client = await Connect();
        using var connection = await accepted.WaitAsync(Limit);

        var round = client.ControlRoundAsync([Controls.GetPnn(0), Controls.GetRecmode(1), Controls.GetPnn(2)], TimeSpan.FromMilliseconds(300));
        for (var i = 0; i < 3; i++)
        {
            var (header, request) = await ReceivePacketAsync(connection);
            if (request.Opcode != CtdbControl.GetRecmode)
            {
                await connection.SendAsync(new ControlReply(0, ReadOnlyMemory<byte>.Empty, null).Encode(header));
            }
        }

        var results = await round.WaitAsync(Limit);
        var timeout = results[1].Error as CtdbControlTimeoutException;
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Succeeded && results[2].Succeeded, Is.True);
            Assert.That(timeout, Is.Not.Null, results[1].Error?.ToString());
            Assert.That(timeout!.Opcode, Is.EqualTo(CtdbControl.GetRecmode));
            Assert.That(timeout.DestNode, Is.EqualTo(1u));
            Assert.That(client.IsConnected, Is.True, "a timeout does not end the connection");
        });
    }

    [Test]
    public async Task A_late_reply_after_the_time_limit_is_dropped_and_the_client_goes_on()
    {
        var diagnostics = new List<string>();
        var accepted = _listener.AcceptAsync();
        await using var client = await Connect(diagnostics);
        using var connection = await accepted.WaitAsync(Limit);

        var round = client.ControlRoundAsync([Controls.GetPnn(0)], TimeSpan.FromMilliseconds(100));
        var (header, _) = await ReceivePacketAsync(connection);
        var results = await round.WaitAsync(Limit);
        await connection.SendAsync(new ControlReply(0, ReadOnlyMemory<byte>.Empty, null).Encode(header));

        var next = client.ControlAsync(Controls.GetPnn(1), Limit);
        var (nextHeader, _) = await ReceivePacketAsync(connection);
        await connection.SendAsync(new ControlReply(5, ReadOnlyMemory<byte>.Empty, null).Encode(nextHeader));

        Assert.That((await next.WaitAsync(Limit)).Status, Is.EqualTo(5));
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Error, Is.TypeOf<CtdbControlTimeoutException>());
            lock (diagnostics)
            {
                Assert.That(diagnostics, Has.Some.Contains($"request id {header.ReqId} dropped"));
            }
        });
    }

    [Test]
    public async Task A_lost_connection_fails_every_entry_and_a_round_after_it_fails_at_once()
    {
        var accepted = _listener.AcceptAsync();
        await using var client = await Connect();
        var round = client.ControlRoundAsync([Controls.GetPnn(0), Controls.GetPnn(1)], Limit);
        using (var connection = await accepted.WaitAsync(Limit))
        {
            await ReceivePacketAsync(connection);
            connection.Shutdown(SocketShutdown.Both);
        }

        var results = await round.WaitAsync(Limit);
        var after = await client.ControlRoundAsync([Controls.GetPnn(0)], Limit).WaitAsync(Limit);
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Error), Is.All.TypeOf<CtdbConnectionLostException>());
            Assert.That(after.Select(r => r.Error), Is.All.TypeOf<CtdbConnectionLostException>());
        });
    }

    [Test]
    public async Task A_round_on_a_disposed_client_reports_it_disposed_as_a_single_control_would()
    {
        var accepted = _listener.AcceptAsync();
        var client = await Connect();
        using var connection = await accepted.WaitAsync(Limit);
        await client.DisposeAsync().AsTask().WaitAsync(Limit);

        var results = await client.ControlRoundAsync([Controls.GetPnn(0)], Limit).WaitAsync(Limit);
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Error, Is.TypeOf<ObjectDisposedException>());
            Assert.That(async () => await client.ControlAsync(Controls.GetPnn(0), Limit), Throws.TypeOf<ObjectDisposedException>());
        });
    }

    [Test]
    public async Task Cancelling_a_round_throws_and_an_empty_round_needs_no_ctdbd()
    {
        var accepted = _listener.AcceptAsync();
        await using var client = await Connect();
        using var connection = await accepted.WaitAsync(Limit);
        using var cancel = new CancellationTokenSource();

        var round = client.ControlRoundAsync([Controls.GetPnn(0)], Timeout.InfiniteTimeSpan, cancel.Token);
        await ReceivePacketAsync(connection);
        await cancel.CancelAsync();

        Assert.Multiple(() =>
        {
            Assert.That(async () => await round.WaitAsync(Limit), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(client.ControlRoundAsync([], Limit).Result, Is.Empty);
            Assert.That(async () => await client.ControlRoundAsync([Controls.GetPnn(CtdbConstants.BroadcastAll)], Limit), Throws.ArgumentException);
        });
    }

    [Test]
    public async Task A_time_limit_the_clock_refuses_faults_the_round_and_the_client_goes_on()
    {
        var accepted = _listener.AcceptAsync();
        await using var client = await Connect();
        using var connection = await accepted.WaitAsync(Limit);

        var refused = client.ControlRoundAsync([Controls.GetPnn(0)], TimeSpan.FromSeconds(-5));
        var next = client.ControlRoundAsync([Controls.GetPnn(1)], Limit);
        var (header, request) = await ReceivePacketAsync(connection);
        await connection.SendAsync(new ControlReply(7, ReadOnlyMemory<byte>.Empty, null).Encode(header));

        var results = await next.WaitAsync(Limit);
        Assert.Multiple(() =>
        {
            Assert.That(async () => await refused.WaitAsync(Limit), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(request.DestNode, Is.EqualTo(1u), "the refused round sent nothing");
            Assert.That(results[0].Reply?.Status, Is.EqualTo(7));
        });
    }

    private Task<CtdbClient> Connect(List<string>? diagnostics = null) =>
        CtdbClient.ConnectAsync(_listener.Path, new CtdbClientOptions
        {
            Poller = _pump?.Poller,
            Diagnostic = diagnostics is null ? null : line =>
            {
                lock (diagnostics)
                {
                    diagnostics.Add(line);
                }
            },
        }).WaitAsync(Limit);
}
