using System.Runtime.InteropServices;

namespace CtdbInterop.Bindings.Tests.Generated;

[Description("issue 3 item 3: generated structs have gcc's layout of the real ctdb headers")]
public class StructLayoutTests
{
    private static readonly string[] UnionFields = ["Bytes", "Words"];

    private static LayoutProbe Probe => LayoutProbe.Instance;

    [Test]
    public void Structs_without_a_trailing_array_have_the_C_size_and_alignment()
    {
        var checkedCount = 0;
        Assert.Multiple(() =>
        {
            foreach (var (name, size) in Probe.Sizes.Where(s => !Probe.FixedSizes.ContainsKey(s.Key)))
            {
                var (managedSize, managedAlignment) = ManagedLayout.Of(GeneratedTypes.Named(name));
                Assert.That(managedSize, Is.EqualTo(size), $"sizeof {name}");
                Assert.That(managedAlignment, Is.EqualTo(Probe.Alignments[name]), $"alignment of {name}");
                checkedCount++;
            }
        });
        Assert.That(checkedCount, Is.GreaterThan(30));
    }

    [Test]
    public void FixedSize_is_the_C_offset_of_the_trailing_array()
    {
        Assert.That(Probe.FixedSizes, Has.Count.GreaterThan(15));
        Assert.Multiple(() =>
        {
            foreach (var (name, fixedSize) in Probe.FixedSizes)
            {
                var constant = GeneratedTypes.Named(name).GetField("FixedSize");
                Assert.That(constant?.IsLiteral, Is.True, $"{name}.FixedSize is a const");
                Assert.That(constant?.GetRawConstantValue(), Is.EqualTo((int)fixedSize), $"{name}.FixedSize");
            }
        });
    }

    [Test]
    public void Structs_with_a_trailing_array_cover_the_fixed_part_and_no_more_than_C()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, fixedSize) in Probe.FixedSizes)
            {
                var (managedSize, managedAlignment) = ManagedLayout.Of(GeneratedTypes.Named(name));
                Assert.That(managedSize, Is.InRange(fixedSize, Probe.Sizes[name]), $"sizeof {name}");
                Assert.That(managedAlignment, Is.LessThanOrEqualTo(Probe.Alignments[name]), $"alignment of {name}");
            }
        });
    }

    [Test]
    public void Every_field_has_the_C_offset()
    {
        Assert.That(Probe.Offsets, Has.Count.GreaterThan(200));
        Assert.Multiple(() =>
        {
            foreach (var (type, field, offset) in Probe.Offsets)
            {
                Assert.That((long)Marshal.OffsetOf(GeneratedTypes.Named(type), field), Is.EqualTo(offset), $"offsetof {type}.{field}");
            }
        });
    }

    [Test]
    public void Unions_are_raw_storage_at_offset_zero()
    {
        var unions = Probe.Unions;
        Assert.That(unions, Does.Contain("CtdbSockAddr"));
        Assert.Multiple(() =>
        {
            foreach (var name in unions)
            {
                var type = GeneratedTypes.Named(name);
                Assert.That(GeneratedTypes.Fields(type).Select(f => f.Name), Is.EquivalentTo(UnionFields), name);
                Assert.That((long)Marshal.OffsetOf(type, "Bytes"), Is.Zero);
                Assert.That((long)Marshal.OffsetOf(type, "Words"), Is.Zero);
            }
        });
    }

    [Test]
    public void Every_generated_struct_and_field_is_checked_by_the_probe()
    {
        var probed = Probe.Offsets.GroupBy(o => o.Type).ToDictionary(g => g.Key, g => g.Select(o => o.Field).ToList());
        Assert.That(GeneratedTypes.Structs.Select(t => t.Name), Is.EquivalentTo(Probe.Sizes.Keys));
        Assert.Multiple(() =>
        {
            foreach (var type in GeneratedTypes.Structs.Where(t => !Probe.Unions.Contains(t.Name)))
            {
                Assert.That(GeneratedTypes.Fields(type).Select(f => f.Name),
                    Is.EquivalentTo(probed.GetValueOrDefault(type.Name) ?? []), $"fields of {type.Name}");
            }
        });
    }
}
