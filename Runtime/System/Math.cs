// Math.cs -- the integer helpers the kernel uses, and the checked double conversions ILC binds its overflow-checking
// conversion helpers to (same names as the BCL's; a failed check fails fast like every other exception here).
namespace System
{
    public static class Math
    {
        public static int Min(int val1, int val2) => val1 <= val2 ? val1 : val2;
        public static int Max(int val1, int val2) => val1 >= val2 ? val1 : val2;
        public static uint Min(uint val1, uint val2) => val1 <= val2 ? val1 : val2;
        public static uint Max(uint val1, uint val2) => val1 >= val2 ? val1 : val2;
        public static long Min(long val1, long val2) => val1 <= val2 ? val1 : val2;
        public static long Max(long val1, long val2) => val1 >= val2 ? val1 : val2;
        public static ulong Min(ulong val1, ulong val2) => val1 <= val2 ? val1 : val2;
        public static ulong Max(ulong val1, ulong val2) => val1 >= val2 ? val1 : val2;
        public static nuint Min(nuint val1, nuint val2) => val1 <= val2 ? val1 : val2;
        public static nuint Max(nuint val1, nuint val2) => val1 >= val2 ? val1 : val2;
        public static int Abs(int value) => value < 0 ? -value : value;
        public static long Abs(long value) => value < 0 ? -value : value;
        public static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;
        public static long Clamp(long value, long min, long max) => value < min ? min : value > max ? max : value;

        // Helpers ILC calls for checked conversions (conv.ovf.*) from floating point.
        internal static int ConvertToInt32Checked(double value)
        {
            if (!(value > -2147483649.0 && value < 2147483648.0))
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowOverflowException();
            return (int)value;
        }

        internal static uint ConvertToUInt32Checked(double value)
        {
            if (!(value > -1.0 && value < 4294967296.0))
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowOverflowException();
            return (uint)value;
        }

        internal static long ConvertToInt64Checked(double value)
        {
            if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0))
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowOverflowException();
            return (long)value;
        }

        internal static ulong ConvertToUInt64Checked(double value)
        {
            if (!(value > -1.0 && value < 18446744073709551616.0))
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowOverflowException();
            return (ulong)value;
        }
    }
}
