// ModeExpressionTests.cs -- chmod's MODE argument against the POSIX/coreutils rules, case by case and as a property
// (an octal mode always wins; symbolic clauses commute with the bit arithmetic written out here independently).
using CsCheck;
using Kernel.VisorFs;

namespace Kernel.Tests;

public class ModeExpressionTests
{
    [Theory]
    [InlineData("644", 0x1FF, false, 0x1A4)]
    [InlineData("1755", 0x1A4, false, 0x3ED)]
    [InlineData("0", 0xFFF, false, 0)]
    [InlineData("+t", 0x1A4, false, 0x3A4)]
    [InlineData("-t", 0x3A4, false, 0x1A4)]
    [InlineData("u+x", 0x1A4, false, 0x1E4)]
    [InlineData("go-w", 0x1B6, false, 0x1A4)]
    [InlineData("a=r", 0x3FF, false, 0x124)]          // '=' for all classes clears t too
    [InlineData("u=rw", 0x3FF, false, 0x3BF)]         // but not when only some are chosen
    [InlineData("=rw", 0x1FF, false, 0x1B6)]
    [InlineData("u+x,g+w,o-r", 0x1A4, false, 0x1F0)]
    [InlineData("+X", 0x1A4, false, 0x1A4)]           // X: no execute bit set, not a directory
    [InlineData("+X", 0x1A4, true, 0x1ED)]            // ... a directory
    [InlineData("+X", 0x1C4, false, 0x1CD)]           // ... some execute bit set
    [InlineData("g=u", 0x1C0, false, 0x1F8)]          // copy the user class
    [InlineData("u+s,g+s", 0x1ED, false, 0xDED)]
    [InlineData("o+s", 0x1ED, false, 0x1ED)]          // s means nothing for others
    [InlineData("u+rw-x", 0x1C0, false, 0x180)]       // several operators in one clause
    public void Applies(string expression, int current, bool isDirectory, int expected)
    {
        Assert.True(ModeExpression.TryApply(expression, current, isDirectory, out int mode));
        Assert.Equal(expected, mode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("8")]
    [InlineData("17777")]
    [InlineData("u")]
    [InlineData("u+q")]
    [InlineData("+t,")]
    [InlineData(",+t")]
    [InlineData("z+x")]
    [InlineData("64a")]
    [InlineData("u+gx")]
    public void RejectsMalformed(string expression)
    {
        Assert.False(ModeExpression.TryApply(expression, 0x1A4, false, out _));
    }

    [Fact]
    public void OctalAlwaysReplacesAndSymbolicMatchesTheBitArithmetic()
    {
        Gen.Select(Gen.Int[0, 0xFFF], Gen.Int[0, 0xFFF], Gen.Int[1, 7], Gen.Int[1, 7], Gen.Int[0, 2]).Sample((current, octal, who, perms, op) =>
        {
            Assert.True(ModeExpression.TryApply(Convert.ToString(octal, 8), current, false, out int m));
            Assert.Equal(octal, m);

            string w = ((who & 1) != 0 ? "u" : "") + ((who & 2) != 0 ? "g" : "") + ((who & 4) != 0 ? "o" : "");
            string p = ((perms & 4) != 0 ? "r" : "") + ((perms & 2) != 0 ? "w" : "") + ((perms & 1) != 0 ? "x" : "");
            char o = "+-="[op];
            int spread = ((who & 1) != 0 ? perms << 6 : 0) | ((who & 2) != 0 ? perms << 3 : 0) | ((who & 4) != 0 ? perms : 0);
            int classes = ((who & 1) != 0 ? 0x1C0 | 0x800 : 0) | ((who & 2) != 0 ? 0x38 | 0x400 : 0) | ((who & 4) != 0 ? 7 : 0)
                | (who == 7 ? 0x200 : 0);
            int expected = o == '+' ? current | spread : o == '-' ? current & ~spread : (current & ~classes) | spread;
            Assert.True(ModeExpression.TryApply(w + o + p, current, false, out int s));
            Assert.Equal(expected, s);
        });
    }
}
