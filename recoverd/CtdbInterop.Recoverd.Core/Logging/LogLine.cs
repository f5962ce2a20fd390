namespace CtdbInterop.Recoverd.Core.Logging;

/// <summary>How the C daemon prefixes a line (section "Conventions").</summary>
public enum LogPrefixKind
{
    /// <summary>No prefix.</summary>
    None,

    /// <summary>Samba's <c>DBG_*</c> macros: <c>"&lt;C function&gt;: "</c>.</summary>
    Function,

    /// <summary><c>__location__</c>: <c>"&lt;source file&gt;:&lt;line&gt; "</c> (the shell decides how to render it).</summary>
    Location,
}

/// <summary>
/// One administrator-facing log line. <see cref="Text"/> is the C daemon's wording where the
/// behaviour matches (so existing greps keep working) and our own wording for new behaviour.
/// <see cref="Function"/> names the C function the line comes from, for the prefix.
/// </summary>
public sealed record LogLine(RecdLogLevel Level, string Text, LogPrefixKind Prefix = LogPrefixKind.None, string? Function = null)
{
    /// <summary>The decision this line records and why it was taken; null for plain lines.</summary>
    public DecisionCause? Cause { get; init; }

    /// <summary>The text as logged: <see cref="Text"/>, then <c> (cause: …)</c> when the line carries a cause.</summary>
    public string RenderedText => Cause is { Text.Length: > 0 } cause ? $"{Text} (cause: {cause.Text})" : Text;

    public static LogLine Error(string text) => new(RecdLogLevel.Error, text);

    public static LogLine Warning(string text) => new(RecdLogLevel.Warning, text);

    public static LogLine Notice(string text) => new(RecdLogLevel.Notice, text);

    public static LogLine Info(string text) => new(RecdLogLevel.Info, text);

    public LogLine WithFunction(string function) => this with { Prefix = LogPrefixKind.Function, Function = function };

    public LogLine AtLocation(string function) => this with { Prefix = LogPrefixKind.Location, Function = function };

    /// <summary>This line with the decision and its cause attached.</summary>
    public LogLine Because(DecisionCause cause) => this with { Cause = cause };

    public override string ToString() => $"[{Level}] {RenderedText}";
}
