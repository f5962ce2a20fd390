namespace CtdbInterop.Bindings.Generator.Model;

/// <summary>How a family of #defines is emitted.</summary>
internal enum ConstantGroupKind
{
    /// <summary>A static class of constants.</summary>
    StaticClass,

    /// <summary>An enum of distinct values.</summary>
    Enum,

    /// <summary>A [Flags] enum.</summary>
    FlagsEnum,
}

/// <summary>A macro name prefix to strip, and what to put in its place in the member name.</summary>
internal sealed record MacroPrefix(string Prefix, string MemberPrefix = "");

/// <summary>
/// A family of #defines emitted as one C# type. <see cref="Type"/> null means: each constant
/// keeps the type clang gave its expression.
/// </summary>
internal sealed record ConstantGroup(string CsName, ConstantGroupKind Kind, ScalarType? Type, IReadOnlyList<MacroPrefix> Prefixes)
{
    /// <summary>The families, most specific first; a macro joins the first group with a matching prefix.</summary>
    public static readonly IReadOnlyList<ConstantGroup> All =
    [
        new("CtdbSrvid", ConstantGroupKind.StaticClass, ScalarType.ULong, [new("CTDB_SRVID_")]),
        new("NodeFlags", ConstantGroupKind.FlagsEnum, ScalarType.UInt, [new("NODE_FLAGS_")]),
        new("CtdbCapabilities", ConstantGroupKind.FlagsEnum, ScalarType.UInt, [new("CTDB_CAP_")]),
        new("CtdbRecoveryMode", ConstantGroupKind.Enum, ScalarType.UInt, [new("CTDB_RECOVERY_")]),
        // ctdb_dbid.flags is a uint8_t.
        new("CtdbDbFlags", ConstantGroupKind.FlagsEnum, ScalarType.Byte, [new("CTDB_DB_FLAGS_")]),
        // The flags word of a control request; PUBLIC_IP_FLAGS_* overload its opcode-specific bits.
        new("CtdbControlFlags", ConstantGroupKind.FlagsEnum, ScalarType.UInt,
            [new("CTDB_CTRL_FLAG_"), new("CTDB_PUBLIC_IP_FLAGS_", "PUBLIC_IP_")]),
        new("CtdbConstants", ConstantGroupKind.StaticClass, null, [new("CTDB_"), new(string.Empty)]),
    ];

    /// <summary>The group's member name for a macro, or null when the macro is not in this group.</summary>
    public string? MemberName(string macroName)
    {
        foreach (var prefix in Prefixes)
        {
            if (macroName.StartsWith(prefix.Prefix, StringComparison.Ordinal) && macroName.Length > prefix.Prefix.Length)
            {
                return Naming.Pascal(prefix.MemberPrefix + macroName[prefix.Prefix.Length..]);
            }
        }

        return null;
    }
}
