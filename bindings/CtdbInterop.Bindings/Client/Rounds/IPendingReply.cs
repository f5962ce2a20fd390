using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Client.Rounds;

/// <summary>
/// What waits for the reply to one request id: a single control's promise, or one slot of a
/// <see cref="ControlRound"/>. The reader calls exactly one of the two methods per id.
/// </summary>
internal interface IPendingReply
{
    void Complete(uint requestId, ControlReply reply);

    void Fail(uint requestId, Exception error);
}

/// <summary>One control's reply: the promise itself is the pending entry, so it costs no extra object.</summary>
internal sealed class SingleReply(TaskCreationOptions options) : TaskCompletionSource<ControlReply>(options), IPendingReply
{
    public void Complete(uint requestId, ControlReply reply) => TrySetResult(reply);

    public void Fail(uint requestId, Exception error) => TrySetException(error);
}
