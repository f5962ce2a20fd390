using CtdbInterop.GoldenRecorder;

// Three modes, each bounded in time:
//   proxy   <listen-socket> <target-socket> <out-file> [timeout-s]
//           relays one client connection (e.g. a `ctdb` tool run) to ctdbd and logs every packet.
//   control <socket> <out-file> <spec>...
//           sends raw controls, spec = dest:opcode[:flags[:srvid[:datahex]]] (numbers may be 0x-hex),
//           and logs each request and its reply.
//   listen  <socket> <out-file> <seconds> <srvid>...
//           registers the srvids, then logs every packet ctdbd sends for the given time.
try
{
    return args switch
    {
        ["proxy", var listen, var target, var output] => await ProxyMode.RunAsync(listen, target, output, TimeSpan.FromSeconds(60)),
        ["proxy", var listen, var target, var output, var seconds] => await ProxyMode.RunAsync(listen, target, output, TimeSpan.FromSeconds(Numbers.ParseUInt32(seconds))),
        ["control", var socket, var output, .. var specs] when specs.Length > 0 => await ControlMode.RunAsync(socket, output, specs),
        ["listen", var socket, var output, var seconds, .. var srvids] when srvids.Length > 0 => await ListenMode.RunAsync(socket, output, TimeSpan.FromSeconds(Numbers.ParseUInt32(seconds)), srvids),
        _ => Usage(),
    };
}
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or FormatException or TimeoutException or OperationCanceledException)
{
    await Console.Error.WriteLineAsync($"GoldenRecorder: {e.GetType().Name}: {e.Message}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: GoldenRecorder proxy <listen> <target> <out> [timeout-s] | control <socket> <out> <dest:opcode[:flags[:srvid[:hex]]]>... | listen <socket> <out> <seconds> <srvid>...");
    return 2;
}
