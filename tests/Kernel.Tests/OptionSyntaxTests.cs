// OptionSyntaxTests.cs -- kernel option values: host names (RFC 1123) and whole numbers of seconds.
using Kernel.Init;

namespace Kernel.Tests;

public class OptionSyntaxTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("esx-01")]
    [InlineData("host.example.com")]
    [InlineData("a")]
    [InlineData("9lives")]
    public void ValidHostNames(string name) => Assert.True(OptionSyntax.IsHostName(name));

    [Theory]
    [InlineData("")]
    [InlineData("bad]name")]
    [InlineData("with space")]
    [InlineData("-lead")]
    [InlineData("trail-")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("under_score")]
    [InlineData("tab\tname")]
    [InlineData("uni\u00e9")]
    public void InvalidHostNames(string name) => Assert.False(OptionSyntax.IsHostName(name));

    [Fact]
    public void HostNameLengthLimits()
    {
        Assert.True(OptionSyntax.IsHostName(new string('a', 63)));
        Assert.False(OptionSyntax.IsHostName(new string('a', 64)));
        string long253 = string.Join('.', Enumerable.Repeat(new string('b', 62), 4)) + ".c";
        Assert.Equal(253, long253.Length);
        Assert.True(OptionSyntax.IsHostName(long253));
        Assert.False(OptionSyntax.IsHostName(long253 + "c"));
        Assert.False(OptionSyntax.IsHostName(string.Join('.', Enumerable.Repeat(new string('b', 63), 5))));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("60", true)]
    [InlineData("86400", true)]
    [InlineData("0", false)]
    [InlineData("86401", false)]
    [InlineData("-5", false)]
    [InlineData("5s", false)]
    [InlineData("", false)]
    [InlineData("99999999999999999999999", false)]
    public void Seconds(string value, bool valid) => Assert.Equal(valid, OptionSyntax.IsWholeNumber(value, 1, 86400));
}
