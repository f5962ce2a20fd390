using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Domain;
using CtdbInterop.Recoverd.Core.Gates;
using CtdbInterop.Recoverd.Core.Logging;
using CtdbInterop.Recoverd.Core.MainLoop;
using CtdbInterop.Recoverd.Core.Resignation;

namespace CtdbInterop.Recoverd.Core.Recovery;

/// <summary>
/// One run of B46-B56 <c>do_recovery()</c> as a state machine around its I/O, with the 16082
/// guard (§3.2 rules 1-7) before it starts and again before the recovery helper. Create one per
/// recovery; call <see cref="Start"/>, then feed each <see cref="RecoveryStep.Request"/>'s result
/// to the method it names until a step carries an <see cref="RecoveryStep.Outcome"/>. Calls out
/// of order throw (as raft panics on impossible transitions). The "recoveries" gate is closed on
/// every exit once begun (fixing latent issue 1).
/// </summary>
public sealed partial class RecoveryProcedure
{
    private const string Function = "do_recovery";

    private readonly RecdConfig _config;
    private readonly DecisionOptions _options;
    private readonly OperationGate _recoveries;
    private readonly CulpritTable _culprits;
    private readonly IRandomSource _random;
    private Stage _stage = Stage.NotStarted;
    private bool _gateBegun;

    // Set when the rule 6 watch aborted the helper because this node can no longer lead.
    private ResignReason? _resignAfterHelper;

    public RecoveryProcedure(
        RecdConfig config,
        OperationGate recoveries,
        CulpritTable culprits,
        IRandomSource random,
        LoopMemory memory,
        DecisionOptions? options = null,
        RecoveryCause? cause = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(recoveries);
        ArgumentNullException.ThrowIfNull(culprits);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(memory);
        _config = config;
        _recoveries = recoveries;
        _culprits = culprits;
        _random = random;
        Memory = memory;
        _options = options ?? DecisionOptions.Default;
        Cause = cause;
    }

    /// <summary>Why the leader checks asked for this recovery (logged with <c>Starting do_recovery</c>).</summary>
    public RecoveryCause? Cause { get; }

    private enum Stage
    {
        NotStarted,
        AwaitingEntryState,
        AwaitingCapabilities,
        AwaitingFlagPush,
        AwaitingHelperState,
        AwaitingHelper,
        AwaitingTakeover,
        AwaitingReconfigure,
        Finished,
    }

    /// <summary>The loop memory as this procedure has updated it so far.</summary>
    public LoopMemory Memory { get; private set; }

    /// <summary>The generation handed to the recovery helper, once chosen.</summary>
    public uint? Generation { get; private set; }

    public bool IsFinished => _stage == Stage.Finished;

    /// <summary>The recovery helper has been requested and has not reported yet (rule 6 watch applies).</summary>
    public bool IsHelperRunning => _stage == Stage.AwaitingHelper;

    private uint OwnPnn => _config.OwnPnn;

    /// <summary>
    /// B46: log <c>Starting do_recovery</c>; with the re-check ask for the own node map and
    /// capabilities first (rule 1), else go straight to the 4.22.6 leader test.
    /// </summary>
    public RecoveryStep Start(RecoveryEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        Expect(Stage.NotStarted);
        var actions = new List<RecdAction>();
        var starting = LogLine.Notice("Starting do_recovery").WithFunction(Function);
        actions.Log(Cause is { } cause ? starting.Because(cause.ToDecision()) : starting);

        if (_options.RecheckBeforeRecovery)
        {
            return Wait(Stage.AwaitingEntryState, actions, new RecoveryRequest.FetchOwnState());
        }

        var verdict = RecoveryGuard.MayRecover(Fetch.Ok(Memory.OwnFlags), Memory.OwnCapabilities, env.Leader, OwnPnn, _options, Function, Memory.OwnFlags);
        return verdict is RecoveryVerdict.Refused refused ? Refuse(actions, refused) : AfterEntryChecks(env, actions);
    }

    /// <summary>
    /// Rules 1-4 (entry, and again before the helper): keep the fresh map and own flags, use the
    /// fresh own capabilities when read, then <see cref="RecoveryGuard.MayRecover"/>.
    /// </summary>
    public RecoveryStep OnOwnStateFetched(FetchResult<NodeMapView> nodeMap, FetchResult<CtdbCapabilities> ownCapabilities, RecoveryEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var entry = _stage == Stage.AwaitingEntryState;
        if (!entry)
        {
            Expect(Stage.AwaitingHelperState);
        }

        // The flags of the main loop's node-map read, to tell "became inactive since" apart (cause text).
        var cachedFlags = Memory.OwnFlags;
        if (nodeMap.TryGetValue(out var map) && map.TryGetFlags(OwnPnn, out var flags))
        {
            Memory = Memory with { NodeMap = map, OwnFlags = flags };
        }

        if (ownCapabilities.TryGetValue(out var caps))
        {
            Memory = Memory with { OwnCapabilities = caps };
        }

        var actions = new List<RecdAction>();
        var verdict = RecoveryGuard.MayRecover(
            RecoveryGuard.OwnFlagsFrom(nodeMap, OwnPnn), Memory.OwnCapabilities, env.Leader, OwnPnn, _options, Function,
            cachedFlags, entry ? "recovery start" : "recovery helper start");
        if (verdict is RecoveryVerdict.Refused refused)
        {
            return Refuse(actions, refused);
        }

        return entry ? AfterEntryChecks(env, actions) : StartHelper(actions);
    }

    /// <summary>B51 result: keep the capabilities and push all flags (B52).</summary>
    public RecoveryStep OnCapabilitiesRefreshed(FetchResult<IReadOnlyDictionary<uint, CtdbCapabilities>> capabilities, RecoveryEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        Expect(Stage.AwaitingCapabilities);
        var refreshed = CapabilitiesRefresh.Apply(Memory, OwnPnn, capabilities, LogLine.Error("Unable to update node capabilities.").WithFunction(Function));
        Memory = refreshed.Memory;
        var actions = new List<RecdAction>(refreshed.Actions);
        if (!refreshed.Proceed)
        {
            return Fail(actions, RecoveryFailure.CapabilitiesFailed);
        }

        var map = Memory.NodeMap!;
        var targets = map.ConnectedPnns();
        var pushes = map.Nodes
            .Where(n => n.IsConnected)
            .Select(n => new RecdAction.PushNodeFlags(n.Pnn, n.Flags, n.Flags, targets))
            .ToArray();
        return Wait(Stage.AwaitingFlagPush, actions, new RecoveryRequest.PushFlags(pushes));
    }

    /// <summary>
    /// B52 result: a failed push for an inactive node only warns; for an active node it fails the
    /// recovery. (<c>%d</c> is the map index, as in C.) Then the rule 5 re-check or the helper.
    /// </summary>
    public RecoveryStep OnFlagsPushed(IReadOnlyCollection<uint> failedPnns, RecoveryEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(failedPnns);
        ArgumentNullException.ThrowIfNull(env);
        Expect(Stage.AwaitingFlagPush);
        var actions = new List<RecdAction>();
        var map = Memory.NodeMap!;
        for (var i = 0; i < map.Count; i++)
        {
            var node = map.Nodes[i];
            if (!node.IsConnected || !failedPnns.Contains(node.Pnn))
            {
                continue;
            }

            if (node.Flags.IsInactive())
            {
                actions.Log(LogLine.Warning($"Unable to update flags on inactive node {i}").WithFunction(Function));
                continue;
            }

            actions.Log(LogLine.Error($"Unable to update flags on all nodes for node {i}").WithFunction(Function));
            return Fail(actions, RecoveryFailure.FlagPushFailed);
        }

        actions.Log(LogLine.Notice("Recovery - updated flags").WithFunction(Function));

        // Rule 5: B51-B52 took several round trips; look again before the helper starts.
        return _options.RecheckBeforeRecovery
            ? Wait(Stage.AwaitingHelperState, actions, new RecoveryRequest.FetchOwnState())
            : StartHelper(actions);
    }
}
