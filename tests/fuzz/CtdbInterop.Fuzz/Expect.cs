using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Fuzz;

/// <summary>Runs one decoder, allowing only the codec's documented failures.</summary>
internal static class Expect
{
    /// <summary>A decoder of untrusted bytes: only <see cref="CtdbProtocolException"/> may escape.</summary>
    public static void Decodes(Action decode)
    {
        try
        {
            decode();
        }
        catch (CtdbProtocolException)
        {
        }
    }

    /// <summary>A reply parser: a failure reply (<see cref="CtdbControlException"/>) is also fine.</summary>
    public static void Parses(Action parse)
    {
        try
        {
            parse();
        }
        catch (CtdbProtocolException)
        {
        }
        catch (CtdbControlException)
        {
        }
    }
}
