using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Core.Actions;

internal static class ActionListExtensions
{
    public static void Log(this List<RecdAction> actions, LogLine line) => actions.Add(new RecdAction.Log(line));
}
