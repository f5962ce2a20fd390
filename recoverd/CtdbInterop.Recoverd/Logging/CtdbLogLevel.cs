namespace CtdbInterop.Recoverd.Logging;

/// <summary>
/// ctdb's debug levels. A message is written when its level is at or below the current
/// level. Other values between 0 and 10 are valid too (ctdb's "setdebug 7" etc.).
/// </summary>
internal enum CtdbLogLevel
{
    Error = 0,
    Warning = 1,
    Notice = 3,
    Info = 5,
    Debug = 10,
}
