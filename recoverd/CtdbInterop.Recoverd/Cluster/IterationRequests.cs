using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Recoverd.Cluster;

/// <summary>
/// The control requests of an iteration's rounds, built once and sent again while their
/// targets stay the same: a request is immutable (the client numbers each send itself), and
/// an idle cluster reads the same nodes every second (issue 7, idle allocations). Used on the
/// daemon thread only.
/// </summary>
internal sealed class IterationRequests
{
    private static readonly ControlRequest[] IpStateWithKnown =
        [Controls.GetIfaces(CtdbConstants.CurrentNode), Controls.GetPublicIps(CtdbConstants.CurrentNode, true), Controls.GetPublicIps(CtdbConstants.CurrentNode, false)];

    private static readonly ControlRequest[] IpStateAvailableOnly =
        [Controls.GetIfaces(CtdbConstants.CurrentNode), Controls.GetPublicIps(CtdbConstants.CurrentNode, true)];

    private (uint OwnPnn, ControlRequest[] Requests)? _local;
    private (uint[] Nodes, ControlRequest[] Requests)? _capabilities;
    private (LeaderReadTargets Targets, ControlRequest[] Requests)? _leader;

    /// <summary>B12's recd ping, then B16-B21's local reads.</summary>
    public ControlRequest[] LocalState(uint ownPnn)
    {
        if (_local is { } known && known.OwnPnn == ownPnn)
        {
            return known.Requests;
        }

        ControlRequest[] requests =
        [
            Controls.RecdPing(CtdbConstants.CurrentNode),
            Controls.GetDebug(CtdbConstants.CurrentNode),
            Controls.GetAllTunables(CtdbConstants.CurrentNode),
            Controls.GetRunstate(CtdbConstants.CurrentNode),
            Controls.GetNodemap(ownPnn),
            Controls.GetRecmode(CtdbConstants.CurrentNode),
        ];
        _local = (ownPnn, requests);
        return requests;
    }

    /// <summary>B42-B44: the interfaces, the available public IPs and (outside test mode) all known ones.</summary>
    public static ControlRequest[] IpState(bool includeKnown) => includeKnown ? IpStateWithKnown : IpStateAvailableOnly;

    /// <summary>B24: GET_CAPABILITIES to each of <paramref name="nodes"/>, in order.</summary>
    public ControlRequest[] Capabilities(IReadOnlyList<uint> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (_capabilities is { } known && known.Nodes.SequenceEqual(nodes))
        {
            return known.Requests;
        }

        var requests = new ControlRequest[nodes.Count];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = Controls.GetCapabilities(nodes[i]);
        }

        _capabilities = (nodes.ToArray(), requests);
        return requests;
    }

    /// <summary>
    /// B27-B33: the other connected nodes' node maps, the own VNN map, every active node's
    /// recovery mode and the other active nodes' VNN maps, in that order (the parse relies on it).
    /// </summary>
    public ControlRequest[] LeaderState(LeaderReadTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (_leader is { } known && ReferenceEquals(known.Targets, targets))
        {
            return known.Requests;
        }

        var requests = new List<ControlRequest>(targets.ConnectedOthers.Count + 1 + targets.ActiveNodes.Count + targets.ActiveOthers.Count);
        requests.AddRange(targets.ConnectedOthers.Select(Controls.GetNodemap));
        requests.Add(Controls.GetVnnmap(targets.OwnPnn));
        requests.AddRange(targets.ActiveNodes.Select(Controls.GetRecmode));
        requests.AddRange(targets.ActiveOthers.Select(Controls.GetVnnmap));
        var array = requests.ToArray();
        _leader = (targets, array);
        return array;
    }
}
