namespace CtdbInterop.Recoverd.Processes;

/// <summary>The two helpers run with the result-pipe protocol (B59).</summary>
internal enum HelperKind
{
    /// <summary>ctdb_recovery_helper: writes 0 on success, nothing on failure.</summary>
    Recovery,

    /// <summary>ctdb_takeover_helper: always writes 0 or an errno value.</summary>
    Takeover,
}

internal static class HelperKindExtensions
{
    /// <summary>The word ctdb uses in its log texts ("recovery", "takeover").</summary>
    public static string LogName(this HelperKind kind) => kind == HelperKind.Recovery ? "recovery" : "takeover";
}
