namespace CtdbInterop.Simulation;

/// <summary>Command line for long runs: <c>--seeds N [--nodes K] [--start S] [--threads T] | --replay SEED</c>.</summary>
internal static class Program
{
    public static int Main(string[] args) => Runner.Run(args);
}
