// FormatItems.cs -- composite formatting: "{index[,alignment][:format]}" items with "{{"/"}}" escapes (string.Format,
// StringBuilder.AppendFormat) and one formatted hole with its alignment (string interpolation). Numbers go through
// Number's formatting, anything else through IFormattable or ToString. Shared source: also compiled into
// tests/Corlib.Tests and compared with the BCL's string.Format (invariant culture).
using System;
using System.Text;

namespace Internal.Runtime
{
    public static class FormatItems
    {
        /// <summary>Formats one value as an interpolation hole or format item does: a positive alignment pads on the
        /// left (right-aligned), a negative one on the right.</summary>
        public static void AppendFormatted(StringBuilder sb, object value, int alignment, string format)
        {
            string text = FormatValue(value, format);
            int width = alignment < 0 ? -alignment : alignment;
            int padding = width - text.Length;
            if (padding > 0 && alignment > 0)
                sb.Append(' ', padding);
            sb.Append(text);
            if (padding > 0 && alignment < 0)
                sb.Append(' ', padding);
        }

        public static string FormatValue(object value, string format)
        {
            switch (value)
            {
                case null:
                    return "";
                case string s:
                    return s;
                case int i:
                    return Number.FormatSigned(i, 4, format);
                case long l:
                    return Number.FormatSigned(l, 8, format);
                case short h:
                    return Number.FormatSigned(h, 2, format);
                case sbyte b:
                    return Number.FormatSigned(b, 1, format);
                case uint u:
                    return Number.FormatUnsigned(u, format);
                case ulong ul:
                    return Number.FormatUnsigned(ul, format);
                case ushort us:
                    return Number.FormatUnsigned(us, format);
                case byte ub:
                    return Number.FormatUnsigned(ub, format);
                case double d:
                    return Number.FormatDouble(d, format);
                case float f:
                    return Number.FormatSingle(f, format);
                case IFormattable formattable:
                    return formattable.ToString(format, null);
                default:
                    return value.ToString() ?? "";
            }
        }

        public static void AppendFormat(StringBuilder sb, string format, object[] args)
        {
            if (format is null)
                throw new ArgumentNullException(nameof(format));
            int i = 0;
            while (i < format.Length)
            {
                char c = format[i++];
                if (c == '}')
                {
                    if (i < format.Length && format[i] == '}')
                    {
                        sb.Append('}');
                        i++;
                        continue;
                    }
                    throw BadItem();
                }
                if (c != '{')
                {
                    sb.Append(c);
                    continue;
                }
                if (i < format.Length && format[i] == '{')
                {
                    sb.Append('{');
                    i++;
                    continue;
                }
                i = AppendItem(sb, format, i, args);
            }
        }

        // Parses one item after its '{' and appends it; returns the index after its '}'.
        private static int AppendItem(StringBuilder sb, string format, int i, object[] args)
        {
            int index = 0;
            int start = i;
            while (i < format.Length && format[i] >= '0' && format[i] <= '9')
                index = index * 10 + format[i++] - '0';
            if (i == start || index >= 1000000)
                throw BadItem();
            i = SkipSpaces(format, i);
            int alignment = 0;
            if (i < format.Length && format[i] == ',')
            {
                i = SkipSpaces(format, i + 1);
                bool negative = i < format.Length && format[i] == '-';
                if (negative)
                    i++;
                start = i;
                while (i < format.Length && format[i] >= '0' && format[i] <= '9')
                    alignment = alignment * 10 + format[i++] - '0';
                if (i == start || alignment >= 1000000)
                    throw BadItem();
                if (negative)
                    alignment = -alignment;
                i = SkipSpaces(format, i);
            }
            string itemFormat = null;
            if (i < format.Length && format[i] == ':')
            {
                start = ++i;
                while (i < format.Length && format[i] != '}')
                {
                    if (format[i] == '{')
                        throw BadItem();
                    i++;
                }
                if (i > start)
                    itemFormat = format.Substring(start, i - start);
            }
            if (i >= format.Length || format[i] != '}')
                throw BadItem();
            if (args is null || index >= args.Length)
                throw new FormatException("Index (zero based) must be greater than or equal to zero and less than the size of the argument list.");
            AppendFormatted(sb, args[index], alignment, itemFormat);
            return i + 1;
        }

        private static int SkipSpaces(string format, int i)
        {
            while (i < format.Length && format[i] == ' ')
                i++;
            return i;
        }

        private static FormatException BadItem() => new FormatException("Input string was not in a correct format.");
    }
}
