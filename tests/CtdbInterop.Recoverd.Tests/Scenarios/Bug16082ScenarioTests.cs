using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Election;
using CtdbInterop.Recoverd.Core.Gates;
using CtdbInterop.Recoverd.Core.MainLoop;
using CtdbInterop.Recoverd.Core.Recovery;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Scenarios;

/// <summary>
/// The bug 16082 story end to end on the leader: `ctdb stop` on the leader sets it STOPPED and
/// its recovery mode ACTIVE; the loop read the node map just before, so B32 asks for a recovery.
/// </summary>
[Description("recoverd-behaviours §3.1, §3.2 rules 1-3, §3.3")]
public class Bug16082ScenarioTests
{
    private const uint Leader = 0;

    private static LeaderVerdict LoopSawActiveLeaderButRecoveryMode()
    {
        var memory = Memory(HealthyMap(3), Leader);
        var modes = new Dictionary<uint, FetchResult<CtdbRecoveryMode>>
        {
            [0] = Fetch.Ok(CtdbRecoveryMode.Active),
            [1] = Fetch.Ok(CtdbRecoveryMode.Normal),
            [2] = Fetch.Ok(CtdbRecoveryMode.Normal),
        };
        var snapshot = new LeaderSnapshot
        {
            OwnPnn = Leader,
            RemoteNodeMaps = new Dictionary<uint, FetchResult<NodeMapView>> { [1] = Fetch.Ok(HealthyMap(3)), [2] = Fetch.Ok(HealthyMap(3)) },
            LocalVnnMap = Fetch.Ok(new VnnMapView(5, [0, 1, 2])),
            RecoveryModes = modes,
            ClusterLockConfigured = false,
            ClusterLockHeld = false,
            RecoveriesDisabled = false,
            RemoteVnnMaps = new Dictionary<uint, FetchResult<VnnMapView>>(),
            TakeoverRunsDisabled = false,
            TakeoverRequestsPending = false,
        };
        return LeaderChecks.Decide(snapshot, memory);
    }

    private static List<RecdAction> Run(DecisionOptions options, LeaderElection election)
    {
        var verdict = LoopSawActiveLeaderButRecoveryMode();
        Assert.That(verdict.Outcome, Is.InstanceOf<LeaderOutcome.Recover>());
        Assert.That(((LeaderOutcome.Recover)verdict.Outcome).Cause.Check, Is.EqualTo(RecoveryCheck.NodeInRecoveryMode));

        var procedure = new RecoveryProcedure(Classic(Leader), OperationGate.Recoveries(), new CulpritTable(), new SeededRandomSource(1), verdict.Memory, options);
        var env = new RecoveryEnvironment(Leader, false, false, false, S(10), RecdTunables.Defaults);
        var stoppedNow = Map(NodeFlags.Stopped, 0, 0);
        IReadOnlyDictionary<uint, CtdbCapabilities> caps = HealthyMap(3).Nodes.ToDictionary(n => n.Pnn, _ => DefaultCaps);
        var done = new List<RecdAction>();

        var step = procedure.Start(env);
        for (var i = 0; i < 12; i++)
        {
            done.AddRange(step.Actions);
            if (step.Request is null)
            {
                break;
            }

            done.Add(new RecdAction.Log(new Core.Logging.LogLine(Core.Logging.RecdLogLevel.Debug, "request " + step.Request.GetType().Name)));
            step = step.Request switch
            {
                RecoveryRequest.FetchOwnState => procedure.OnOwnStateFetched(Fetch.Ok(stoppedNow), Fetch.Ok(DefaultCaps), env),
                RecoveryRequest.RefreshCapabilities => procedure.OnCapabilitiesRefreshed(Fetch.Ok(caps), env),
                RecoveryRequest.PushFlags => procedure.OnFlagsPushed([], env),
                RecoveryRequest.RunRecoveryHelper => procedure.OnRecoveryHelperFinished(true, env),
                RecoveryRequest.RunTakeover => procedure.OnTakeoverRunFinished(true, env),
                RecoveryRequest.BroadcastReconfigure => procedure.OnReconfigureSent(true, env),
                _ => throw new InvalidOperationException(),
            };
        }

        if (step.Outcome?.Resign is { } reason)
        {
            done.AddRange(election.Resign(reason, S(10), step.Memory.ToNodeView(Wall(10), RecdTunables.Defaults), activateRecoveryModeOnOthers: true));
        }

        return done;
    }

    [Test]
    public void The_stopped_leader_resigns_instead_of_recovering()
    {
        var election = new LeaderElection(Classic(Leader));
        election.OnLeaderBroadcast(Leader, S(0), View());

        var done = Run(DecisionOptions.Default, election);

        Assert.Multiple(() =>
        {
            Assert.That(done.LogTexts(), Does.Not.Contain("request RunRecoveryHelper"));
            Assert.That(done.LogTexts(), Does.Contain("This node can no longer be leader, abort recovery"));
            Assert.That(done.LogTexts(), Does.Contain("Resigning as leader (this node is inactive, flags=0x20)"));
            Assert.That(done.OfType<RecdAction.BroadcastLeader>().Select(b => b.Pnn), Is.EqualTo(Expect.Pnns(CtdbConstants.UnknownPnn)));
            Assert.That(done.Single<RecdAction.BroadcastElection>().Data.NodeFlags, Is.EqualTo(NodeFlags.Stopped));
            Assert.That(election.Leader, Is.EqualTo(CtdbConstants.UnknownPnn));
        });
    }

    [Test]
    public void Stock_4_22_6_runs_the_recovery_helper_on_the_stopped_leader()
    {
        var election = new LeaderElection(Classic(Leader), DecisionOptions.Stock4226);
        election.OnLeaderBroadcast(Leader, S(0), View());

        var done = Run(DecisionOptions.Stock4226, election);

        Assert.Multiple(() =>
        {
            Assert.That(done.LogTexts(), Does.Contain("request RunRecoveryHelper"));
            Assert.That(done.LogTexts(), Does.Contain("Recovery complete"));
            Assert.That(done.OfType<RecdAction.BroadcastLeader>(), Is.Empty, "stock does not tell anyone");
            Assert.That(election.Leader, Is.EqualTo(Leader));
        });
    }
}
