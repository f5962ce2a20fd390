using CtdbInterop.Bindings.Client;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Cluster;
using CtdbInterop.Recoverd.Core.Actions;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Cluster;

[Description("issue 7: a recovery's flag pushes cost one round trip, not one per node")]
public class FlagPushRoundTests
{
    private static readonly uint[] Connected = [0, 1, 2, 3, 4];

    private readonly Dictionary<uint, TaskCompletionSource<IReadOnlyList<uint>>> _inFlight = [];

    // NUnit runs every test on the same fixture instance.
    [SetUp]
    public void ForgetEarlierPushes() => _inFlight.Clear();

    private static RecdAction.PushNodeFlags[] PushesForEveryNode() =>
        [.. Connected.Select(pnn => new RecdAction.PushNodeFlags(pnn, default(NodeFlags), default(NodeFlags), Connected))];

    private Task<IReadOnlyList<uint>> Send(RecdAction.PushNodeFlags push)
    {
        var answer = new TaskCompletionSource<IReadOnlyList<uint>>();
        _inFlight.Add(push.Pnn, answer);
        return answer.Task;
    }

    [Test]
    public void Every_node_s_push_is_sent_before_the_first_answer()
    {
        var round = FlagPushRound.RunAsync(PushesForEveryNode(), Send);

        Assert.That(_inFlight.Keys, Is.EquivalentTo(Connected), "one push waited for another");
        Assert.That(round.IsCompleted, Is.False);
    }

    [Test]
    public void The_nodes_whose_push_failed_somewhere_come_back_in_push_order_whatever_the_answer_order()
    {
        var round = FlagPushRound.RunAsync(PushesForEveryNode(), Send);

        foreach (var pnn in Connected.Reverse())
        {
            _inFlight[pnn].SetResult(pnn is 1 or 3 ? [2u] : []);
        }

        Assert.That(round.IsCompletedSuccessfully, Is.True);
        Assert.That(round.Result, Is.EqualTo(new uint[] { 1, 3 }));
    }

    [Test]
    public void A_lost_connection_ends_the_round_once_every_push_has_answered()
    {
        var round = FlagPushRound.RunAsync(PushesForEveryNode(), Send);

        _inFlight[2].SetException(new CtdbConnectionLostException("ctdbd went away"));
        Assert.That(round.IsCompleted, Is.False, "the other pushes are still out");
        foreach (var pnn in Connected.Where(p => p != 2))
        {
            _inFlight[pnn].SetResult([]);
        }

        Assert.That(() => round.GetAwaiter().GetResult(), Throws.TypeOf<CtdbConnectionLostException>());
    }

    [Test]
    public void No_pushes_is_an_empty_round()
    {
        var round = FlagPushRound.RunAsync([], Send);

        Assert.That(round.IsCompletedSuccessfully && round.Result.Count == 0, Is.True);
    }
}
