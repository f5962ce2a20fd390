using CtdbInterop.Recoverd.Core.Actions;
using CtdbInterop.Recoverd.Core.Logging;

namespace CtdbInterop.Recoverd.Tests.Support;

internal static class ActionAssertions
{
    public static IReadOnlyList<string> LogTexts(this IEnumerable<RecdAction> actions) =>
        actions.OfType<RecdAction.Log>().Select(l => l.Line.Text).ToArray();

    public static IReadOnlyList<string> Texts(this IEnumerable<LogLine> lines) => lines.Select(l => l.Text).ToArray();

    public static IReadOnlyList<RecdAction> WithoutLogs(this IEnumerable<RecdAction> actions) =>
        actions.Where(a => a is not RecdAction.Log).ToArray();

    public static T Single<T>(this IEnumerable<RecdAction> actions)
        where T : RecdAction
    {
        var found = actions.OfType<T>().ToArray();
        Assert.That(found, Has.Length.EqualTo(1), $"expected exactly one {typeof(T).Name}");
        return found[0];
    }
}
