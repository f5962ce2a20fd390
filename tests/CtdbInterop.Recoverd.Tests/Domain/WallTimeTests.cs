using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Tests.Domain;

public class WallTimeTests
{
    [Test]
    public void Orders_by_seconds_then_microseconds()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new WallTime(1, 999_999) < new WallTime(2, 0), Is.True);
            Assert.That(new WallTime(2, 1) > new WallTime(2, 0), Is.True);
            Assert.That(new WallTime(2, 0).CompareTo(new WallTime(2, 0)), Is.Zero);
        });
    }

    [TestCase(1_500_000L, 1L, 500_000L)]
    [TestCase(-1L, -1L, 999_999L)]
    [TestCase(0L, 0L, 0L)]
    public void FromUnixMicroseconds_normalises_the_microsecond_part(long micros, long seconds, long rest)
    {
        var t = WallTime.FromUnixMicroseconds(micros);
        Assert.Multiple(() =>
        {
            Assert.That(t, Is.EqualTo(new WallTime(seconds, rest)));
            Assert.That(t.ToUnixMicroseconds(), Is.EqualTo(micros));
        });
    }
}
