using CtdbInterop.Recoverd.Native;
using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Support;

/// <summary>Base for tests that spawn processes: one reactor and spawner per fixture, a temp directory per test.</summary>
public abstract class ReactorFixture(ChildWatching watching = ChildWatching.Pidfd)
{
    private EpollReactor? _reactor;
    private TempDirectory? _dir;

    internal EpollReactor Reactor => _reactor!;

    internal ProcessSpawner Spawner { get; private set; } = null!;

    internal TempDirectory Dir => _dir!;

    internal ChildWatching Watching => watching;

    [OneTimeSetUp]
    public void StartReactor()
    {
        _reactor = new EpollReactor();
        Spawner = new ProcessSpawner(_reactor, pidfds: watching == ChildWatching.Pidfd);
    }

    [OneTimeTearDown]
    public void StopReactor() => _reactor?.Dispose();

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => _dir?.Dispose();
}
