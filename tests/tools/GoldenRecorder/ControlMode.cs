namespace CtdbInterop.GoldenRecorder;

/// <summary>Sends hand-built controls one at a time and logs each request with its reply.</summary>
internal static class ControlMode
{
    private const uint ReplyControl = 8;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(string socketPath, string output, string[] specs)
    {
        using var connectCts = new CancellationTokenSource(ReplyTimeout);
        using var socket = await Sockets.ConnectAsync(socketPath, connectCts.Token);
        using var log = new CaptureLog(output, $"control {string.Join(' ', specs)}");

        uint reqid = 0;
        foreach (var spec in specs)
        {
            var request = Parse(spec, ++reqid);
            using var cts = new CancellationTokenSource(ReplyTimeout);
            log.ClientToServer(request);
            await PacketStream.WriteAsync(socket, request, cts.Token);

            // Anything else ctdbd sends meanwhile (messages) is logged too, then skipped.
            while (true)
            {
                var packet = await PacketStream.ReadAsync(socket, cts.Token)
                    ?? throw new IOException($"ctdbd closed the connection before replying to {spec}");
                log.ServerToClient(packet);
                if (RawPackets.Operation(packet) == ReplyControl && RawPackets.ReqId(packet) == reqid)
                {
                    break;
                }
            }
        }

        return 0;
    }

    private static byte[] Parse(string spec, uint reqid)
    {
        var parts = spec.Split(':');
        if (parts.Length is < 2 or > 5)
        {
            throw new FormatException($"bad control spec '{spec}'");
        }

        var dest = Numbers.ParseUInt32(parts[0]);
        var opcode = Numbers.ParseUInt32(parts[1]);
        var flags = parts.Length > 2 ? Numbers.ParseUInt32(parts[2]) : 0;
        var srvid = parts.Length > 3 ? Numbers.ParseUInt64(parts[3]) : 0;
        var data = parts.Length > 4 ? Convert.FromHexString(parts[4]) : [];
        return RawPackets.Control(reqid, dest, opcode, flags, srvid, data);
    }
}
