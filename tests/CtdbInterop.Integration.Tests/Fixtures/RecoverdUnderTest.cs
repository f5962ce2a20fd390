namespace CtdbInterop.Integration.Tests.Fixtures;

/// <summary>
/// Which recovery daemon a real-cluster regression test runs: environment variable
/// <c>CTDBI_RECOVERD_UNDER_TEST</c> = <c>ours</c> (default) or <c>stock</c>, passed to
/// scripts/cluster.sh as <c>--ours</c> / <c>--stock</c>.
/// </summary>
internal static class RecoverdUnderTest
{
    public const string Variable = "CTDBI_RECOVERD_UNDER_TEST";

    public static string Name { get; } = Read();

    public static string ClusterOption => "--" + Name;

    private static string Read()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        return value switch
        {
            null or "" or "ours" => "ours",
            "stock" => "stock",
            _ => throw new InvalidOperationException($"{Variable} must be 'ours' or 'stock', not '{value}'"),
        };
    }
}
