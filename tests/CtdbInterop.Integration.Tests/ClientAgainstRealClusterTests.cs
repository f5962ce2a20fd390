using System.Diagnostics;
using System.Globalization;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;
using CtdbInterop.Integration.Tests.Fixtures;

namespace CtdbInterop.Integration.Tests;

/// <summary>
/// The async client against a real 3-node ctdbd 4.22.6 cluster (stock recovery daemons),
/// each answer compared with what the real <c>ctdb</c> tool prints. The tests that disturb
/// the cluster (SIGSTOP, SIGKILL of a node) run last.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ClientAgainstRealClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const int Nodes = 3;
    private LocalCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => _cluster = await LocalCluster.StartAsync("client", Nodes);

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Test, Order(1)]
    public async Task Each_node_reports_its_own_pnn_and_pid()
    {
        for (var node = 0; node < Nodes; node++)
        {
            await using var client = await ConnectAsync(node);
            var pnn = await client.ControlAsync(Controls.GetPnn(CtdbConstants.CurrentNode), Controls.ParseGetPnn, Timeout);
            var pid = await client.ControlAsync(Controls.GetPid(CtdbConstants.CurrentNode), Controls.ParseGetPid, Timeout);
            Assert.Multiple(() =>
            {
                Assert.That(pnn, Is.EqualTo((uint)node));
                Assert.That(pid, Is.EqualTo(_cluster.CtdbdPid(node)));
            });
        }
    }

    [Test, Order(2)]
    public async Task Node_map_equals_what_ctdb_status_prints()
    {
        var rows = LocalCluster.ParseMachineTable(await _cluster.CtdbAsync(0, "-X", "status"))
            .Where(r => r.Length >= 10 && uint.TryParse(r[0], out _))
            .ToList();
        await using var client = await ConnectAsync(1);
        var map = await client.ControlAsync(Controls.GetNodemap(0), Controls.ParseGetNodemap, Timeout);

        Assert.That(map.Nodes, Has.Length.EqualTo(rows.Count).And.Length.EqualTo(Nodes));
        foreach (var row in rows)
        {
            var entry = map.Nodes.Single(n => n.Pnn == uint.Parse(row[0], CultureInfo.InvariantCulture));
            Assert.Multiple(() =>
            {
                Assert.That(entry.Address.Address.ToString(), Is.EqualTo(row[1]));
                Assert.That(entry.Flags.HasFlag(NodeFlags.Disconnected), Is.EqualTo(row[2] == "1"));
                Assert.That(entry.Flags.HasFlag(NodeFlags.Banned), Is.EqualTo(row[4] == "1"));
                Assert.That(entry.Flags.HasFlag(NodeFlags.Stopped), Is.EqualTo(row[7] == "1"));
                Assert.That((entry.Flags & NodeFlags.Inactive) != 0, Is.EqualTo(row[8] == "1"));
            });
        }
    }

    [Test, Order(3)]
    public async Task Vnn_map_and_recovery_mode_match_ctdb_status()
    {
        var status = await _cluster.CtdbAsync(0, "status");
        var generation = uint.Parse(Line(status, "Generation:"), CultureInfo.InvariantCulture);
        var lmasters = status.Split('\n').Where(l => l.StartsWith("hash:", StringComparison.Ordinal))
            .Select(l => uint.Parse(l[(l.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture))
            .ToList();
        await using var client = await ConnectAsync(0);
        var vnn = await client.ControlAsync(Controls.GetVnnmap(CtdbConstants.CurrentNode), Controls.ParseGetVnnmap, Timeout);
        var mode = await client.ControlAsync(Controls.GetRecmode(CtdbConstants.CurrentNode), Controls.ParseGetRecmode, Timeout);
        Assert.Multiple(() =>
        {
            Assert.That(vnn.Generation, Is.EqualTo(generation));
            Assert.That(vnn.Map, Is.EqualTo(lmasters));
            Assert.That(mode, Is.EqualTo(CtdbRecoveryMode.Normal));
            Assert.That(Line(status, "Recovery mode:"), Does.StartWith("NORMAL"));
        });
    }

    [Test, Order(4)]
    public async Task Capabilities_and_run_state_match_the_ctdb_tool()
    {
        var caps = await _cluster.CtdbAsync(1, "getcapabilities");
        var runstate = (await _cluster.CtdbAsync(1, "runstate")).Trim();
        await using var client = await ConnectAsync(0);
        // Sent through node 0 to node 1: the control crosses the cluster transport.
        var remoteCaps = await client.ControlAsync(Controls.GetCapabilities(1), Controls.ParseGetCapabilities, Timeout);
        var remoteRunstate = await client.ControlAsync(Controls.GetRunstate(1), Controls.ParseGetRunstate, Timeout);
        Assert.Multiple(() =>
        {
            Assert.That(remoteCaps.HasFlag(CtdbCapabilities.Recmaster), Is.EqualTo(caps.Contains("LEADER: YES", StringComparison.Ordinal)));
            Assert.That(remoteCaps.HasFlag(CtdbCapabilities.Lmaster), Is.EqualTo(caps.Contains("LMASTER: YES", StringComparison.Ordinal)));
            Assert.That(remoteRunstate.ToString().ToUpperInvariant(), Is.EqualTo(runstate));
            Assert.That(remoteRunstate, Is.EqualTo(CtdbRunstate.Running));
        });
    }

    [Test, Order(5)]
    public async Task Database_map_lists_the_attached_databases()
    {
        await _cluster.CtdbAsync(0, "attach", "client_volatile.tdb");
        await _cluster.CtdbAsync(0, "attach", "client_persistent.tdb", "persistent");
        var rows = LocalCluster.ParseMachineTable(await _cluster.CtdbAsync(2, "-X", "getdbmap"));
        await using var client = await ConnectAsync(2);
        var dbmap = await client.ControlAsync(Controls.GetDbmap(CtdbConstants.CurrentNode), Controls.ParseGetDbmap, Timeout);

        var expected = rows.Select(r => (Id: Convert.ToUInt32(r[0], 16), Persistent: r[3] == "1")).OrderBy(d => d.Id).ToList();
        var actual = dbmap.Databases.Select(d => (d.Id, Persistent: d.Flags.HasFlag(CtdbDbFlags.Persistent))).OrderBy(d => d.Id).ToList();
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(actual, Has.Count.GreaterThanOrEqualTo(2));
    }

    [Test, Order(6)]
    public async Task Public_ips_of_each_node_match_ctdb_ip()
    {
        var total = 0;
        for (var node = 0; node < Nodes; node++)
        {
            // "ctdb ip" asks the current node for every address it knows (flags 0).
            var rows = LocalCluster.ParseMachineTable(await _cluster.CtdbAsync(node, "-X", "ip"));
            await using var client = await ConnectAsync(0);
            var ips = await client.ControlAsync(Controls.GetPublicIps((uint)node, availableOnly: false), Controls.ParseGetPublicIps, Timeout);
            var expected = rows.Select(r => (Address: r[0], Pnn: unchecked((uint)int.Parse(r[1], CultureInfo.InvariantCulture)))).OrderBy(x => x.Address, StringComparer.Ordinal).ToList();
            var actual = ips.Ips.Select(ip => (Address: ip.Address.Address.ToString(), ip.Pnn)).OrderBy(x => x.Address, StringComparer.Ordinal).ToList();
            Assert.That(actual, Is.EqualTo(expected), $"node {node}");
            total += actual.Count;
        }

        // local_daemons.sh gives two addresses to every node but one.
        Assert.That(total, Is.EqualTo(2 * 2 * (Nodes - 1)));
    }

    [Test, Order(7)]
    public async Task Message_sent_on_one_node_reaches_a_client_registered_on_another()
    {
        var srvid = CtdbSrvid.TestRange | 0x1001;
        await using var receiver = await ConnectAsync(2);
        await receiver.RegisterSrvidAsync(srvid, Timeout);
        await using var sender = await ConnectAsync(0);
        byte[] payload = [1, 2, 3, 4, 5];

        await sender.SendMessageAsync(2, srvid, payload);

        using var limit = new CancellationTokenSource(Timeout);
        var message = await receiver.Messages.ReadAsync(limit.Token);
        Assert.Multiple(() =>
        {
            Assert.That(message.Srvid, Is.EqualTo(srvid));
            Assert.That(message.Data.ToArray(), Is.EqualTo(payload));
        });
    }

    [Test, Order(8)]
    public async Task Broadcast_message_reaches_every_connected_node()
    {
        var srvid = CtdbSrvid.TestRange | 0x1002;
        var receivers = new List<CtdbClient>();
        try
        {
            for (var node = 0; node < Nodes; node++)
            {
                var client = await ConnectAsync(node);
                receivers.Add(client);
                await client.RegisterSrvidAsync(srvid, Timeout);
            }

            await receivers[1].SendMessageAsync(CtdbConstants.BroadcastConnected, srvid, "hello"u8.ToArray());

            using var limit = new CancellationTokenSource(Timeout);
            foreach (var client in receivers)
            {
                var message = await client.Messages.ReadAsync(limit.Token);
                Assert.That(message.Data.ToArray(), Is.EqualTo("hello"u8.ToArray()));
            }
        }
        finally
        {
            foreach (var client in receivers)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Test, Order(9)]
    public async Task Leader_broadcasts_of_the_real_recovery_daemon_arrive_as_messages()
    {
        await using var client = await ConnectAsync(1);
        await client.RegisterSrvidAsync(CtdbSrvid.Leader, Timeout);
        var leader = await _cluster.CtdbAsync(1, "leader");

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var message = await client.Messages.ReadAsync(limit.Token);
        Assert.That(message.Srvid, Is.EqualTo(CtdbSrvid.Leader));
        Assert.That(Messages.ParseLeader(message.Packet), Is.EqualTo(uint.Parse(leader.Trim(), CultureInfo.InvariantCulture)));
    }

    [Test, Order(10)]
    public async Task Many_concurrent_controls_are_matched_to_their_replies()
    {
        await using var client = await ConnectAsync(0);
        var calls = Enumerable.Range(0, 300).Select(i =>
            client.ControlAsync(Controls.GetPnn((uint)(i % Nodes)), Controls.ParseGetPnn, Timeout)).ToList();
        var results = await Task.WhenAll(calls);
        Assert.That(results, Is.EqualTo(Enumerable.Range(0, 300).Select(i => (uint)(i % Nodes))));
    }

    [Test, Order(11)]
    public async Task Control_fanout_collects_every_node()
    {
        await using var client = await ConnectAsync(0);
        uint[] nodes = [0, 1, 2];
        var results = await client.ControlManyAsync(nodes, Controls.GetRecmode(0), Timeout);
        Assert.That(results.Select(r => r.Pnn), Is.EqualTo(nodes));
        Assert.That(results.All(r => r.Error is null && Controls.ParseGetRecmode(r.Reply!) == CtdbRecoveryMode.Normal), Is.True);
    }

    [Test, Order(12)]
    public async Task Failed_control_carries_status_and_error_text()
    {
        await using var client = await ConnectAsync(0);
        // ctdbd answers a ban request for another node's PNN with status -1.
        var reply = await client.ControlAsync(Controls.SetBanState(0, new BanState(1, 0)), Timeout);
        Assert.That(reply.Status, Is.Not.EqualTo(0));
        Assert.That(() => Controls.ParseSetBanState(reply), Throws.TypeOf<CtdbControlException>());
    }

    [Test, Order(20)]
    public async Task Control_to_a_stopped_ctdbd_times_out_while_other_calls_go_on()
    {
        var pid = _cluster.CtdbdPid(2);
        await using var client = await ConnectAsync(0);
        var bound = TimeSpan.FromSeconds(2);
        Signal(pid, "STOP");
        try
        {
            var watch = Stopwatch.StartNew();
            var stalled = client.ControlAsync(Controls.GetPnn(2), bound);
            // While the call to node 2 is stuck, calls to other nodes complete.
            for (var i = 0; i < 10; i++)
            {
                Assert.That(await client.ControlAsync(Controls.GetPnn(1), Controls.ParseGetPnn, Timeout), Is.EqualTo(1u));
                Assert.That(await client.ControlAsync(Controls.GetPnn(CtdbConstants.CurrentNode), Controls.ParseGetPnn, Timeout), Is.EqualTo(0u));
            }

            Assert.That(stalled.IsCompleted, Is.False, "the stalled call finished before its bound");
            var error = Assert.ThrowsAsync<CtdbControlTimeoutException>(async () => await stalled);
            watch.Stop();
            Assert.Multiple(() =>
            {
                Assert.That(error!.Opcode, Is.EqualTo(CtdbControl.GetPnn));
                Assert.That(error.DestNode, Is.EqualTo(2u));
                Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(bound - TimeSpan.FromMilliseconds(50)));
                Assert.That(watch.Elapsed, Is.LessThan(bound + TimeSpan.FromSeconds(3)));
            });
        }
        finally
        {
            Signal(pid, "CONT");
        }

        // The connection survived the timeout.
        Assert.That(await client.ControlAsync(Controls.GetPnn(2), Controls.ParseGetPnn, Timeout), Is.EqualTo(2u));
    }

    [Test, Order(30)]
    public async Task Pending_calls_fail_with_a_clear_error_when_ctdbd_goes_away()
    {
        var pid = _cluster.CtdbdPid(2);
        var client = await ConnectAsync(2);
        await using (client)
        {
            Signal(pid, "STOP");
            var pending = client.ControlAsync(Controls.GetPnn(CtdbConstants.CurrentNode), TimeSpan.FromSeconds(30));
            await Task.Delay(200);
            Signal(pid, "KILL");

            var error = Assert.ThrowsAsync<CtdbConnectionLostException>(async () => await pending);
            Assert.That(error!.Message, Does.Contain("closed the connection"));
            Assert.That(client.IsConnected, Is.False);
            Assert.ThrowsAsync<CtdbConnectionLostException>(async () =>
                await client.ControlAsync(Controls.GetPnn(CtdbConstants.CurrentNode), Timeout));
            Assert.That(client.Completion.IsFaulted, Is.True);
        }
    }

    private Task<CtdbClient> ConnectAsync(int node) => CtdbClient.ConnectAsync(_cluster.SocketPath(node));

    private static string Line(string text, string prefix) =>
        text.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit(5000);
    }
}
