using CtdbInterop.Recoverd.Core.Actions;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>
/// B52, a recovery pushing every node's flags to every connected node, as one round. The C
/// daemon waits for one node's push before it sends the next; each push writes a different
/// node's entry, so their order carries nothing and waiting costs a round trip per node
/// between the leader's notice and the recovery helper (issue 7).
/// </summary>
internal static class FlagPushRound
{
    /// <summary>
    /// Starts every push, then waits for all of them; returns the PNNs whose push failed on
    /// some target, in push order. A lost connection still ends the round with its exception.
    /// </summary>
    public static async Task<IReadOnlyList<uint>> RunAsync(
        IReadOnlyList<RecdAction.PushNodeFlags> pushes, Func<RecdAction.PushNodeFlags, Task<IReadOnlyList<uint>>> push)
    {
        ArgumentNullException.ThrowIfNull(pushes);
        ArgumentNullException.ThrowIfNull(push);
        var running = new Task<IReadOnlyList<uint>>[pushes.Count];
        for (var i = 0; i < pushes.Count; i++)
        {
            running[i] = push(pushes[i]);
        }

        var failedTargets = await Task.WhenAll(running);
        var failed = new List<uint>();
        for (var i = 0; i < pushes.Count; i++)
        {
            if (failedTargets[i].Count > 0)
            {
                failed.Add(pushes[i].Pnn);
            }
        }

        return failed;
    }
}
