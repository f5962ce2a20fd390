using System.Net.Sockets;

namespace CtdbInterop.GoldenRecorder;

/// <summary>Relays one client connection to ctdbd packet by packet, logging both directions.</summary>
internal static class ProxyMode
{
    public static async Task<int> RunAsync(string listenPath, string targetPath, string output, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        File.Delete(listenPath);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(listenPath));
        listener.Listen(1);

        // Tells the calling script that the socket is ready.
        Console.Out.WriteLine("listening");
        Console.Out.Flush();

        using var client = await listener.AcceptAsync(cts.Token);
        using var server = await Sockets.ConnectAsync(targetPath, cts.Token);
        using var log = new CaptureLog(output, $"proxy {listenPath} -> {targetPath}");

        var up = RelayAsync(client, server, log.ClientToServer, cts.Token);
        var down = RelayAsync(server, client, log.ServerToClient, cts.Token);
        await Task.WhenAny(up, down);

        // The tool closes its end when done; give in-flight packets from ctdbd a moment, then stop.
        await cts.CancelAsync();
        await Task.WhenAll(Quiet(up), Quiet(down));
        File.Delete(listenPath);
        return 0;
    }

    private static async Task RelayAsync(Socket from, Socket to, Action<byte[]> record, CancellationToken ct)
    {
        while (await PacketStream.ReadAsync(from, ct) is { } packet)
        {
            record(packet);
            await PacketStream.WriteAsync(to, packet, ct);
        }

        to.Shutdown(SocketShutdown.Send);
    }

    private static async Task Quiet(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // The relay ends when either side closes or the proxy stops; nothing to report.
        }
    }
}
