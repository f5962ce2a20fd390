namespace CtdbInterop.Recoverd.Hosting;

/// <summary>The C daemon's exit statuses (section 1.4).</summary>
internal static class ExitCodes
{
    /// <summary>SIGTERM handled.</summary>
    public const int Success = 0;

    /// <summary>Fatal errors: helper missing, socket EOF, cannot set up, loop not available.</summary>
    public const int Failure = 1;

    /// <summary>ctdbd is gone (B11: <c>exit(-1)</c>).</summary>
    public const int ParentGone = 255;
}
