namespace CtdbInterop.Recoverd.Processes;

/// <summary>
/// How to run the cluster mutex helper for a lock string (section 1.6): the file form
/// runs <c>&lt;helper&gt; &lt;lock string&gt;</c>; the command form <c>!prog args…</c> runs
/// prog directly (no shell, no PATH search) with the words split on spaces and tabs.
/// </summary>
internal sealed record ClusterMutexCommand(string Path, IReadOnlyList<string> Arguments)
{
    public static bool IsCommandForm(string lockString) => lockString.StartsWith('!');

    /// <summary>File form: exactly two argv entries, the helper and the whole lock string.</summary>
    public static ClusterMutexCommand ForFile(string helperPath, string lockString) => new(helperPath, [helperPath, lockString]);

    /// <summary>
    /// Command form (<paramref name="lockString"/> starts with '!'). Runs of separators
    /// collapse and there is no quoting, as in ctdb. False (with ctdb's error text) when
    /// no word is left.
    /// </summary>
    public static bool TryParseCommand(string lockString, out ClusterMutexCommand? command, out string? error)
    {
        var text = IsCommandForm(lockString) ? lockString[1..] : lockString;
        var words = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            command = null;
            error = $"Mutex helper command is empty \"{text}\"";
            return false;
        }

        command = new ClusterMutexCommand(words[0], words);
        error = null;
        return true;
    }

    public override string ToString() => string.Join(' ', Arguments);
}
