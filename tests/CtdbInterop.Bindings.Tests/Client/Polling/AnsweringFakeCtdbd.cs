using System.Net.Sockets;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Client.Polling;

/// <summary>
/// A fake ctdbd on threads of its own, with blocking sockets: it answers every control with
/// status 0 and a small payload, and sends a LEADER message whenever asked. Nothing it does
/// runs on the caller's thread, so that thread's allocations are the client's alone.
/// </summary>
internal sealed class AnsweringFakeCtdbd : IDisposable
{
    /// <summary>Every reply's payload: about what a capabilities or run-state read returns.</summary>
    public static readonly byte[] ReplyData = [1, 0, 0, 0, 0, 0, 0, 0];

    private readonly FakeCtdbdListener _listener = new("cti-alloc-");
    private readonly Lock _sendLock = new();
    private readonly SemaphoreSlim _messagesToSend = new(0);
    private readonly byte[] _message = Messages.Leader(2).Encode(CtdbConstants.CurrentNode, 99);
    private readonly Thread _answering;
    private readonly Thread _messaging;
    private readonly ManualResetEventSlim _accepted = new();
    private Socket? _connection;
    private volatile bool _stopping;

    public AnsweringFakeCtdbd()
    {
        _answering = new Thread(Answer) { IsBackground = true, Name = "fake ctdbd answers" };
        _messaging = new Thread(SendMessages) { IsBackground = true, Name = "fake ctdbd messages" };
        _answering.Start();
        _messaging.Start();
    }

    public string Path => _listener.Path;

    /// <summary>Has the other thread send one LEADER message to the client.</summary>
    public void SendLeaderMessage() => _messagesToSend.Release();

    public void Dispose()
    {
        _stopping = true;
        _messagesToSend.Release();
        _listener.Dispose();
        _connection?.Dispose();
        _answering.Join(FakeCtdbdSocket.Limit);
        _messaging.Join(FakeCtdbdSocket.Limit);
        _messagesToSend.Dispose();
        _accepted.Dispose();
    }

    private void Answer()
    {
        try
        {
            _connection = _listener.Socket.Accept();
            _accepted.Set();
            var packet = new byte[64 * 1024];
            while (!_stopping && ReceiveExactly(packet.AsSpan(0, 4)))
            {
                var length = PacketFraming.ReadLength(packet);
                if (!ReceiveExactly(packet.AsSpan(4, length - 4)))
                {
                    return;
                }

                var (header, _) = ControlRequest.Decode(packet.AsSpan(0, length));
                Send(new ControlReply(0, ReplyData, null).Encode(header));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The test is over and closed the sockets.
        }
    }

    private void SendMessages()
    {
        try
        {
            // Each wait is bounded; the loop ends with the test.
            while (!_stopping)
            {
                if (_messagesToSend.Wait(FakeCtdbdSocket.Limit) && !_stopping && _accepted.Wait(FakeCtdbdSocket.Limit))
                {
                    Send(_message);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The test is over and closed the sockets.
        }
    }

    private void Send(byte[] packet)
    {
        lock (_sendLock)
        {
            _connection!.Send(packet);
        }
    }

    private bool ReceiveExactly(Span<byte> target)
    {
        while (target.Length > 0)
        {
            var n = _connection!.Receive(target);
            if (n == 0)
            {
                return false;
            }

            target = target[n..];
        }

        return true;
    }
}
