namespace CtdbInterop.GoldenRecorder;

/// <summary>Registers srvids on a ctdbd connection and logs what arrives for a fixed time.</summary>
internal static class ListenMode
{
    private const uint RegisterSrvid = 23;
    private const uint CurrentNode = 0xF0000001;

    public static async Task<int> RunAsync(string socketPath, string output, TimeSpan duration, string[] srvids)
    {
        using var cts = new CancellationTokenSource(duration);
        using var socket = await Sockets.ConnectAsync(socketPath, cts.Token);
        using var log = new CaptureLog(output, $"listen {duration.TotalSeconds}s for {string.Join(' ', srvids)}");

        uint reqid = 0;
        foreach (var srvid in srvids)
        {
            var request = RawPackets.Control(++reqid, CurrentNode, RegisterSrvid, 0, Numbers.ParseUInt64(srvid), []);
            log.ClientToServer(request);
            await PacketStream.WriteAsync(socket, request, cts.Token);
        }

        // Ready marker for the calling script: registrations are on their way.
        Console.Out.WriteLine("registered");
        Console.Out.Flush();
        try
        {
            while (await PacketStream.ReadAsync(socket, cts.Token) is { } packet)
            {
                log.ServerToClient(packet);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // The listening time is over.
        }

        return 0;
    }
}
