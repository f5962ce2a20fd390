using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Gates;
using static CtdbInterop.Recoverd.Tests.Support.Build;

namespace CtdbInterop.Recoverd.Tests.Gates;

[Description("recoverd-behaviours B68-B71")]
public class OperationGateTests
{
    [Test]
    public void Disable_arms_a_timer_and_begin_is_refused_until_it_fires()
    {
        var gate = OperationGate.Recoveries();
        var result = gate.Disable(10, S(5));

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new GateDisableResult(0, result.Log)));
            Assert.That(result.Log.Text, Is.EqualTo("Disabling recoveries for 10 seconds"));
            Assert.That(gate.IsDisabled, Is.True);
            Assert.That(gate.ReenableDeadline, Is.EqualTo(S(15)));
            Assert.That(gate.TryBegin(out var refusal), Is.False);
            Assert.That(refusal!.Text, Is.EqualTo("Unable to begin - recoveries are disabled"));
            Assert.That(gate.OnTimerDue(S(14.9)), Is.Null);
            Assert.That(gate.OnTimerDue(S(15))!.Text, Is.EqualTo("Reenabling recoveries after timeout"));
            Assert.That(gate.TryBegin(out _), Is.True);
            Assert.That(gate.IsInProgress, Is.True);
        });
    }

    [Test]
    public void A_later_disable_replaces_the_timer()
    {
        var gate = OperationGate.TakeoverRuns();
        gate.Disable(60, S(0));
        gate.Disable(5, S(10));
        Assert.That(gate.ReenableDeadline, Is.EqualTo(S(15)));
    }

    [Test]
    public void Disable_while_in_progress_is_EAGAIN_but_reenable_always_works()
    {
        var gate = OperationGate.TakeoverRuns();
        gate.Disable(30, S(0));
        gate.Disable(0, S(1));
        gate.TryBegin(out _);

        var refused = gate.Disable(60, S(2));
        var reenabled = gate.Disable(0, S(3));

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(-Errno.EAGAIN));
            Assert.That(refused.Log.Text, Is.EqualTo("Unable to disable takeover runs - in progress"));
            Assert.That(gate.IsDisabled, Is.False);
            Assert.That(reenabled.Status, Is.Zero);
            Assert.That(reenabled.Log.Text, Is.EqualTo("Reenabling takeover runs"));
        });
    }

    [Test]
    public void Disable_request_replies_own_pnn_on_success_and_minus_errno_on_failure()
    {
        var gate = OperationGate.TakeoverRuns();
        var ok = DisableRequestHandling.Handle(new DisableRequest(3, 0xCE00_0000_0000_0001, 20), gate, 1, S(0));
        gate.Disable(0, S(1));
        gate.TryBegin(out _);
        var busy = DisableRequestHandling.Handle(new DisableRequest(3, 0xCE00_0000_0000_0002, 20), gate, 1, S(2));

        Assert.Multiple(() =>
        {
            Assert.That(ok.Single<RecdAction.ReplyToRequester>(), Is.EqualTo(new RecdAction.ReplyToRequester(3, 0xCE00_0000_0000_0001, 1)));
            Assert.That(busy.Single<RecdAction.ReplyToRequester>().Value, Is.EqualTo(-11));
            Assert.That(busy.LogTexts(), Is.EqualTo(Expect.Lines("Unable to disable takeover runs - in progress")));
        });
    }

    [Test]
    public void Disable_request_with_srvid_0_gets_no_reply()
    {
        var actions = DisableRequestHandling.Handle(new DisableRequest(CtdbInterop.Bindings.Generated.CtdbConstants.UnknownPnn, 0, 60), OperationGate.TakeoverRuns(), 1, S(0));
        Assert.Multiple(() =>
        {
            Assert.That(actions.OfType<RecdAction.ReplyToRequester>(), Is.Empty);
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Disabling takeover runs for 60 seconds")));
        });
    }

    [Test]
    public void Wrong_size_is_logged_with_the_size_actually_checked_and_not_answered()
    {
        var actions = DisableRequestHandling.WrongSize(16);
        Assert.Multiple(() =>
        {
            Assert.That(actions.LogTexts(), Is.EqualTo(Expect.Lines("Wrong size for data :16 expecting 24")));
            Assert.That(actions.WithoutLogs(), Is.Empty);
        });
    }

    [Test]
    public void Legacy_ip_check_disable_applies_to_takeover_runs_without_reply()
    {
        var gate = OperationGate.TakeoverRuns();
        var actions = DisableRequestHandling.HandleLegacyIpCheck(30, gate, S(0));
        Assert.Multiple(() =>
        {
            Assert.That(gate.IsDisabled, Is.True);
            Assert.That(actions.WithoutLogs(), Is.Empty);
        });
    }

    [Test]
    public void Reply_action_carries_the_C_log_lines()
    {
        var reply = new RecdAction.ReplyToRequester(2, 77, 0);
        Assert.Multiple(() =>
        {
            Assert.That(reply.SentLog.Text, Is.EqualTo("Sent SRVID reply to 2:77"));
            Assert.That(reply.FailedLog.Text, Is.EqualTo("Failed to send SRVID reply to 2:77"));
        });
    }
}
