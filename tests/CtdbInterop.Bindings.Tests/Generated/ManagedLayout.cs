using System.Reflection;
using System.Runtime.CompilerServices;

namespace CtdbInterop.Bindings.Tests.Generated;

/// <summary>Size and alignment of a struct as the .NET runtime lays it out.</summary>
internal static class ManagedLayout
{
    private static readonly MethodInfo SizeAndAlignmentMethod =
        typeof(ManagedLayout).GetMethod(nameof(SizeAndAlignment), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static (long Size, long Alignment) Of(Type type) =>
        ((long, long))SizeAndAlignmentMethod.MakeGenericMethod(type).Invoke(null, null)!;

    private static (long, long) SizeAndAlignment<T>()
        where T : unmanaged
    {
        // A T right after one byte lands on T's alignment.
        var probe = new AfterOneByte<T> { Head = 1 };
        var alignment = Unsafe.ByteOffset(ref probe.Head, ref Unsafe.As<T, byte>(ref probe.Value));
        return (Unsafe.SizeOf<T>(), alignment);
    }

    private struct AfterOneByte<T>
        where T : unmanaged
    {
        public byte Head;
        public T Value;
    }
}
