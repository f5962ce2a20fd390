using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Tests.Domain;

public class NodeMapViewTests
{
    [Test]
    public void Entries_are_found_by_pnn_not_by_index()
    {
        var map = NodeMapView.Of(new NodeEntry(7, NodeFlags.Stopped), new NodeEntry(0, 0));

        Assert.Multiple(() =>
        {
            Assert.That(map.TryGetFlags(7, out var flags), Is.True);
            Assert.That(flags, Is.EqualTo(NodeFlags.Stopped));
            Assert.That(map.TryGetFlags(1, out _), Is.False);
            Assert.That(map.IndexOf(0), Is.EqualTo(1));
        });
    }

    [Test]
    public void Active_and_connected_follow_ctdb_definitions()
    {
        var map = NodeMapView.FromFlags(0, NodeFlags.Unhealthy, NodeFlags.Disconnected, NodeFlags.Banned, NodeFlags.Deleted | NodeFlags.Disconnected);

        Assert.Multiple(() =>
        {
            Assert.That(map.ActivePnns(), Is.EqualTo(Expect.Pnns(0, 1)));
            Assert.That(map.ConnectedPnns(), Is.EqualTo(Expect.Pnns(0, 1, 3)));
        });
    }

    [Test]
    public void Maps_compare_by_content()
    {
        var map = NodeMapView.FromFlags(0, NodeFlags.Banned);
        var same = NodeMapView.Of(new NodeEntry(0, 0), new NodeEntry(1, NodeFlags.Banned));
        Assert.That(map, Is.EqualTo(same));
        Assert.That(map, Is.Not.EqualTo(NodeMapView.FromFlags(0, 0)));
    }
}
