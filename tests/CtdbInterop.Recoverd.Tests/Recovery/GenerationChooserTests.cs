using CtdbInterop.Recoverd.Core.Recovery;

namespace CtdbInterop.Recoverd.Tests.Recovery;

[Description("recoverd-behaviours B53")]
public class GenerationChooserTests
{
    [Test]
    public void Redraws_the_invalid_generation()
    {
        var random = new FixedRandom(1, 1, 77);
        Assert.Multiple(() =>
        {
            Assert.That(GenerationChooser.Next(random), Is.EqualTo(77u));
            Assert.That(random.Draws, Is.EqualTo(3));
        });
    }

    [Test]
    public void A_source_stuck_on_1_still_yields_a_valid_generation_after_bounded_draws()
    {
        var random = new FixedRandom(1);
        Assert.Multiple(() =>
        {
            Assert.That(GenerationChooser.Next(random), Is.Not.EqualTo(1u));
            Assert.That(random.Draws, Is.LessThanOrEqualTo(64));
        });
    }

    [Test]
    public void Seeded_source_is_reproducible()
    {
        var a = new SeededRandomSource(42);
        var b = new SeededRandomSource(42);
        Assert.That(Enumerable.Range(0, 5).Select(_ => a.NextGenerationCandidate()), Is.EqualTo(Enumerable.Range(0, 5).Select(_ => b.NextGenerationCandidate())));
    }
}
