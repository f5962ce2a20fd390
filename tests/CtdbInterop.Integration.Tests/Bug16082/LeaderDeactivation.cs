using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Integration.Tests.Bug16082;

/// <summary>How a trial makes the leader inactive, with the <c>ctdb</c> commands that do and undo it.</summary>
internal sealed record LeaderDeactivation(string Name, string[] Apply, string[] Undo, NodeFlags Flag)
{
    /// <summary><c>ctdb stop</c>: the node becomes STOPPED and sets its own recovery mode ACTIVE.</summary>
    public static LeaderDeactivation Stop { get; } = new("stop", ["stop"], ["continue"], NodeFlags.Stopped);

    /// <summary><c>ctdb ban 300</c>: the same inactive transition, through the ban path.</summary>
    public static LeaderDeactivation Ban { get; } = new("ban", ["ban", "300"], ["unban"], NodeFlags.Banned);

    public override string ToString() => Name;
}
