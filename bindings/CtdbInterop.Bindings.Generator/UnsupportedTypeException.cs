namespace CtdbInterop.Bindings.Generator;

/// <summary>A C type has no exact blittable C# form; the message says why.</summary>
internal sealed class UnsupportedTypeException(string message) : Exception(message);
