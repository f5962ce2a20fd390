namespace CtdbInterop.Recoverd.Core.Gates;

/// <summary>The Linux errno values the daemon puts into replies.</summary>
public static class Errno
{
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
}
