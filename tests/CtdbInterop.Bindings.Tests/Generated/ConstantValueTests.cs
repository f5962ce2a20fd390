using System.Globalization;
using System.Reflection;

namespace CtdbInterop.Bindings.Tests.Generated;

[Description("issue 3 item 3: generated enums and constants have the values gcc sees in the real ctdb headers")]
public class ConstantValueTests
{
    private static LayoutProbe Probe => LayoutProbe.Instance;

    [Test]
    public void Every_enum_member_and_integer_constant_has_the_C_value()
    {
        Assert.That(Probe.Values, Has.Count.GreaterThan(250));
        Assert.Multiple(() =>
        {
            foreach (var (typeName, member, value) in Probe.Values)
            {
                Assert.That(ValueOf(GeneratedTypes.Named(typeName), member), Is.EqualTo(value), $"{typeName}.{member}");
            }
        });
    }

    [Test]
    public void String_constants_have_the_C_text()
    {
        Assert.That(Probe.Strings, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (typeName, member, text) in Probe.Strings)
            {
                Assert.That(GeneratedTypes.Named(typeName).GetField(member)?.GetRawConstantValue(), Is.EqualTo(text), $"{typeName}.{member}");
            }
        });
    }

    [Test]
    public void Every_generated_enum_member_and_constant_is_checked_by_the_probe()
    {
        var probed = Probe.Values.Select(v => $"{v.Type}.{v.Member}")
            .Concat(Probe.Strings.Select(s => $"{s.Type}.{s.Member}"));
        var generated = GeneratedTypes.All.Where(t => t.IsEnum).SelectMany(t => Enum.GetNames(t).Select(n => $"{t.Name}.{n}"))
            .Concat(GeneratedTypes.All.Where(t => t.IsAbstract && t.IsSealed)
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => $"{t.Name}.{f.Name}")));

        Assert.That(generated, Is.EquivalentTo(probed));
    }

    private static decimal ValueOf(Type type, string member)
    {
        if (type.IsEnum)
        {
            Assert.That(Enum.GetNames(type), Does.Contain(member), $"{type.Name} has no member {member}");
            var value = Enum.Parse(type, member);
            return Convert.ToDecimal(Convert.ChangeType(value, Enum.GetUnderlyingType(type), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        var field = type.GetField(member, BindingFlags.Public | BindingFlags.Static);
        Assert.That(field?.IsLiteral, Is.True, $"{type.Name}.{member} is a const");
        return Convert.ToDecimal(field!.GetRawConstantValue(), CultureInfo.InvariantCulture);
    }
}
