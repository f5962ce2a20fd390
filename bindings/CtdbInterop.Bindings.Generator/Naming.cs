namespace CtdbInterop.Bindings.Generator;

/// <summary>C spellings to .NET names: CTDB_CONTROL_GET_NODEMAP -> GetNodemap, ctdb_req_header -> CtdbReqHeader.</summary>
internal static class Naming
{
    /// <summary>Each underscore-separated word capitalised, the rest lower-case; empty words dropped.</summary>
    public static string Pascal(string cName)
    {
        var words = cName.Split('_', StringSplitOptions.RemoveEmptyEntries);
        var name = string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsLetterOrDigit(c) || c == '_'))
        {
            throw new InvalidOperationException($"'{cName}' gives no valid C# identifier ('{name}')");
        }

        return name;
    }

    /// <summary>The longest prefix, ending in '_', shared by all names (CTDB_CONTROL_ for enum ctdb_controls).</summary>
    public static string CommonWordPrefix(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return string.Empty;
        }

        var prefix = names[0];
        foreach (var name in names)
        {
            var length = 0;
            while (length < prefix.Length && length < name.Length && prefix[length] == name[length])
            {
                length++;
            }

            prefix = prefix[..length];
        }

        var cut = prefix.LastIndexOf('_');
        prefix = cut < 0 ? string.Empty : prefix[..(cut + 1)];
        // Never strip a whole member name.
        return names.Any(n => n.Length == prefix.Length) ? string.Empty : prefix;
    }

    /// <summary>Struct names: the _old suffix of ctdb's wire-format variants is dropped.</summary>
    public static string TypeName(string cTag) =>
        Pascal(cTag.EndsWith("_old", StringComparison.Ordinal) ? cTag[..^4] : cTag);
}
