using System.Net.Sockets;
using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Client;

[Description("issue 10: replies and messages arrive the same whether they complete on the reader thread or via the thread pool")]
public class ReplyCompletionTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [TestCase(false)]
    [TestCase(true)]
    public async Task Pipelined_controls_get_their_own_replies_and_messages_still_arrive(bool completeOnReaderThread)
    {
        var directory = Directory.CreateTempSubdirectory("cti-client-");
        try
        {
            var path = Path.Combine(directory.FullName, "ctdbd.socket");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            var server = ServeAsync(listener, requests: 8);

            await using var client = await CtdbClient.ConnectAsync(path, new CtdbClientOptions { CompleteOnReaderThread = completeOnReaderThread });
            var replies = Enumerable.Range(0, 8)
                .Select(pnn => client.ControlAsync(Controls.GetPnn((uint)pnn), Controls.ParseGetPnn, Limit))
                .ToList();
            var pnns = await Task.WhenAll(replies).WaitAsync(Limit);

            await using var messages = client.ReadMessagesAsync().GetAsyncEnumerator();
            var gotMessage = await messages.MoveNextAsync().AsTask().WaitAsync(Limit);
            await server.WaitAsync(Limit);

            Assert.Multiple(() =>
            {
                Assert.That(pnns, Is.EqualTo(new uint[] { 0, 1, 2, 3, 4, 5, 6, 7 }), "each caller got the reply to its own request");
                Assert.That(gotMessage, Is.True);
                Assert.That(messages.Current.Srvid, Is.EqualTo(CtdbSrvid.Leader));
            });
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Answers GET_PNN requests with their destination node, in reverse order, then sends one LEADER message.</summary>
    private static async Task ServeAsync(Socket listener, int requests)
    {
        using var connection = await listener.AcceptAsync();
        var received = new List<(PacketHeader Header, ControlRequest Request)>();
        while (received.Count < requests)
        {
            received.Add(await FakeCtdbdSocket.ReceivePacketAsync(connection));
        }

        received.Reverse();
        foreach (var (header, request) in received)
        {
            var reply = new ControlReply((int)request.DestNode, ReadOnlyMemory<byte>.Empty, null);
            await connection.SendAsync(reply.Encode(header));
        }

        await connection.SendAsync(Messages.Leader(3).Encode(CtdbConstants.CurrentNode, 99));
    }
}
