namespace CtdbInterop.Recoverd.Logging;

/// <summary>Parses and names <c>CTDB_DEBUGLEVEL</c> values the way ctdb's logging code does.</summary>
internal static class DebugLevel
{
    /// <summary>The highest numeric level ctdb accepts.</summary>
    public const int Max = 10;

    // Level names by number 0..10, in the order ctdb matches name prefixes against them:
    // the first name that the input is a case-insensitive prefix of wins.
    private static readonly string[] NamesByLevel =
    [
        "ERROR", "WARNING", "WARNING", "NOTICE", "NOTICE",
        "INFO", "INFO", "INFO", "INFO", "INFO", "DEBUG",
    ];

    /// <summary>
    /// A number (leading decimal digits, 0..10) or a case-insensitive prefix of ERROR,
    /// WARNING, NOTICE, INFO or DEBUG. As in ctdb, the empty string means ERROR.
    /// </summary>
    public static bool TryParse(string? text, out CtdbLogLevel level)
    {
        level = CtdbLogLevel.Error;
        if (text is null)
        {
            return false;
        }

        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            // atoi(): leading digits only; anything after them is ignored.
            var value = 0;
            foreach (var c in text)
            {
                if (!char.IsAsciiDigit(c))
                {
                    break;
                }

                value = (value * 10) + (c - '0');
                if (value > Max)
                {
                    return false;
                }
            }

            level = (CtdbLogLevel)value;
            return true;
        }

        for (var i = 0; i < NamesByLevel.Length; i++)
        {
            if (NamesByLevel[i].StartsWith(text, StringComparison.OrdinalIgnoreCase))
            {
                level = (CtdbLogLevel)i;
                return true;
            }
        }

        return false;
    }

    /// <summary>ctdb's name for a level (<c>UNKNOWN</c> outside 0..10).</summary>
    public static string ToName(CtdbLogLevel level)
    {
        var value = (int)level;
        return value is >= 0 and <= Max ? NamesByLevel[value] : "UNKNOWN";
    }
}
