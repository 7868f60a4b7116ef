// DefaultInterpolatedStringHandler.cs -- what the C# compiler lowers $"..." to: literals and holes appended in order,
// each hole formatted as a composite format item would be ({x,8}, {x,-8}, {x:X8}; Internal.Runtime.FormatItems).
// A value-type hole is boxed on its way to the formatter (the BCL avoids that with ISpanFormattable; here the
// collector takes the box).
using System.Text;
using Internal.Runtime;

namespace System.Runtime.CompilerServices
{
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
    public sealed class InterpolatedStringHandlerAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class InterpolatedStringHandlerArgumentAttribute : Attribute
    {
        public InterpolatedStringHandlerArgumentAttribute(string argument) { }
        public InterpolatedStringHandlerArgumentAttribute(params string[] arguments) { }
    }

    [InterpolatedStringHandler]
    public ref struct DefaultInterpolatedStringHandler
    {
        private StringBuilder _text;

        public DefaultInterpolatedStringHandler(int literalLength, int formattedCount)
            => _text = new StringBuilder(literalLength + formattedCount * 11);

        public DefaultInterpolatedStringHandler(int literalLength, int formattedCount, IFormatProvider provider)
            : this(literalLength, formattedCount) { }

        public void AppendLiteral(string value) => _text.Append(value);

        public void AppendFormatted<T>(T value) => AppendFormatted(value, 0, null);
        public void AppendFormatted<T>(T value, string format) => AppendFormatted(value, 0, format);
        public void AppendFormatted<T>(T value, int alignment) => AppendFormatted(value, alignment, null);
        public void AppendFormatted<T>(T value, int alignment, string format) => FormatItems.AppendFormatted(_text, value, alignment, format);

        public void AppendFormatted(string value) => _text.Append(value);
        public void AppendFormatted(string value, int alignment = 0, string format = null) => FormatItems.AppendFormatted(_text, value, alignment, format);
        public void AppendFormatted(ReadOnlySpan<char> value) => _text.Append(value);
        public void AppendFormatted(object value, int alignment = 0, string format = null) => FormatItems.AppendFormatted(_text, value, alignment, format);

        public override string ToString() => _text.ToString();

        public string ToStringAndClear()
        {
            string result = _text.ToString();
            _text = null;
            return result;
        }
    }
}
