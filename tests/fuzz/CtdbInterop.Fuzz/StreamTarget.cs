using System.Net.Sockets;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Client.Polling;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Fuzz;

/// <summary>
/// The client's packet reader against a fake ctdbd on a real Unix socket. The fake server reads
/// the client's one control request (GET_PNN, request id 1), then writes the input: first a few
/// short chunks (size from the input's first byte, so reads split length fields and headers),
/// then the rest at once,
/// then closes (all while the client reads). Whatever the bytes, the client must end with
/// <see cref="CtdbConnectionLostException"/> within the bound, and the control must end with a
/// reply, a <see cref="CtdbProtocolException"/> or the lost connection: never hang or throw
/// anything else. Every input goes through both readers: .NET's socket engine, and the
/// daemon's own poll loop (<see cref="ReadinessPoller"/>, driven here by a thread of its own).
/// </summary>
internal static class StreamTarget
{
    private const int SplitWrites = 4;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);
    private static readonly FakeCtdbd Server = FakeCtdbd.Start();
    private static readonly ReadinessPoller Poller = StartPoller();

    public static void Run(ReadOnlySpan<byte> input)
    {
        var chunk = input.IsEmpty ? 1 : (input[0] % 64) + 1;
        var stream = input.IsEmpty ? [] : input[1..].ToArray();
        RunAsync(chunk, stream, poller: null).GetAwaiter().GetResult();
        RunAsync(chunk, stream, Poller).GetAwaiter().GetResult();
    }

    /// <summary>A poller and the background thread that drives it for the life of the process.</summary>
    private static ReadinessPoller StartPoller()
    {
        var poller = new ReadinessPoller();
        new Thread(() =>
        {
            while (true)
            {
                poller.WaitAndDispatch(-1);
            }
        })
        { IsBackground = true, Name = "fuzz poller" }.Start();
        return poller;
    }

    private static async Task RunAsync(int chunk, byte[] stream, ReadinessPoller? poller)
    {
        using var bound = new CancellationTokenSource(Bound);
        var options = new CtdbClientOptions { Diagnostic = static text => _ = text.Length, Poller = poller };
        var accept = Server.AcceptAsync(bound.Token);
        var client = await CtdbClient.ConnectAsync(Server.Path, options, bound.Token).ConfigureAwait(false);
        Task sender;
        await using (client.ConfigureAwait(false))
        {
            using var peer = await accept.ConfigureAwait(false);
            var control = client.ControlAsync(Controls.GetPnn(CtdbConstants.CurrentNode), Bound, bound.Token);
            await FakeCtdbd.ReadOnePacketAsync(peer, bound.Token).ConfigureAwait(false);

            // The client stops reading at a bad length field, so the sender must not be awaited
            // before the client is done: it would block on a full socket buffer.
            sender = SendAsync(peer, stream, chunk, bound.Token);
            await ExpectLostAsync(client.Completion, bound.Token).ConfigureAwait(false);
            await ExpectEndedAsync(control, bound.Token).ConfigureAwait(false);
            while (client.Messages.TryRead(out _))
            {
            }
        }

        // Closing both ends ended a send still blocked on a full buffer.
        await sender.WaitAsync(bound.Token).ConfigureAwait(false);
    }

    private static async Task SendAsync(Socket peer, byte[] stream, int chunk, CancellationToken bound)
    {
        try
        {
            // A few short writes split the first length fields and headers across reads; the
            // rest goes in one write (many tiny writes would cost far more than the decoding).
            var offset = 0;
            for (var i = 0; i < SplitWrites && offset < stream.Length; i++, offset += chunk)
            {
                await peer.SendAsync(stream.AsMemory(offset, Math.Min(chunk, stream.Length - offset)), SocketFlags.None, bound).ConfigureAwait(false);
            }

            if (offset < stream.Length)
            {
                await peer.SendAsync(stream.AsMemory(offset), SocketFlags.None, bound).ConfigureAwait(false);
            }

            peer.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client closed its end after giving up on the stream, or the run is over.
        }
    }

    private static async Task ExpectLostAsync(Task completion, CancellationToken bound)
    {
        try
        {
            await completion.WaitAsync(bound).ConfigureAwait(false);
        }
        catch (CtdbConnectionLostException)
        {
            return;
        }

        Invariant.Holds(false, "the client's reader ended without reporting the lost connection");
    }

    private static async Task ExpectEndedAsync(Task<ControlReply> control, CancellationToken bound)
    {
        try
        {
            await control.WaitAsync(bound).ConfigureAwait(false);
        }
        catch (CtdbProtocolException)
        {
        }
        catch (CtdbConnectionLostException)
        {
        }
    }
}
