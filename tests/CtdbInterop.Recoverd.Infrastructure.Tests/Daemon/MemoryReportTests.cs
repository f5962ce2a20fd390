using System.Text.RegularExpressions;
using CtdbInterop.Recoverd.Daemon;

namespace CtdbInterop.Recoverd.Infrastructure.Tests.Daemon;

public sealed class MemoryReportTests
{
    // The line shapes Samba's ctdb/tests/INTEGRATION/simple/debug.003.dumpmemory.sh accepts.
    private static readonly Regex TallocLine = new(
        @"^([\s].+[\s]+contains[\s]+\d+ bytes in[\s]+\d+ blocks \(ref \d+\)[\s]+0x[0-9a-fA-F]+|[\s]+reference to: .+|full talloc report on .+ \(total[\s]+\d+ bytes in \d+ blocks\))$");

    [Test]
    [Description("B97: ctdb rddumpmemory output; the header once padded its block count and failed debug.003")]
    public void Every_line_has_a_talloc_report_shape_and_there_are_at_least_ten()
    {
        var report = MemoryReport.Build(new Dictionary<string, long>
        {
            ["managed heap"] = 3_011_832,
            ["node map"] = 24,
            ["culprit records"] = 0,
            ["takeover requests"] = 0,
            ["rebalance targets"] = 0,
            ["tunables"] = 248,
            ["election state"] = 128,
            ["client connection"] = 4096,
        });
        var lines = report.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.GreaterThanOrEqualTo(10));
        Assert.That(lines, Has.All.Matches<string>(l => TallocLine.IsMatch(l)));
        Assert.That(lines[0], Does.StartWith("full talloc report on 'ctdb-recoverd' (total"));
    }
}
