namespace CtdbInterop.Recoverd.Core.Logging;

/// <summary>CTDB's debug levels (a line is logged when its level is ≤ the current level).</summary>
public enum RecdLogLevel
{
    Error = 0,
    Warning = 1,
    Notice = 3,
    Info = 5,
    Debug = 10,
}
