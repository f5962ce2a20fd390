using System.Reflection;
using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Bindings.Tests.Generated;

/// <summary>Finds the generated types by name (reflection is fine in tests, never in the daemon).</summary>
internal static class GeneratedTypes
{
    private static readonly Assembly Bindings = typeof(CtdbReqHeader).Assembly;

    public static Type Named(string name) =>
        Bindings.GetType($"{typeof(CtdbReqHeader).Namespace}.{name}", throwOnError: false)
        ?? throw new AssertionException($"no generated type {name}");

    public static IEnumerable<Type> All => Bindings.GetTypes().Where(t => t.Namespace == typeof(CtdbReqHeader).Namespace && !t.IsNested);

    public static IEnumerable<Type> Structs => All.Where(t => t.IsValueType && !t.IsEnum);

    /// <summary>Instance fields as declared (fixed buffers appear as one field each).</summary>
    public static IEnumerable<FieldInfo> Fields(Type type) => type.GetFields(BindingFlags.Public | BindingFlags.Instance);
}
