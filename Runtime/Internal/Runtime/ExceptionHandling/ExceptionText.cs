// ExceptionText.cs -- an exception as text (Exception.ToString, Exception.StackTrace). The core library has no
// symbols of its own: the kernel installs the functions that name a code address and a type.
using System;

namespace Internal.Runtime.ExceptionHandling
{
    public static unsafe class ExceptionText
    {
        private static delegate*<ulong, bool, string> s_nameOfCode;
        private static delegate*<ulong, string> s_nameOfType;

        /// <summary>Installs the symbolizers: (code address, is it a return address) -> `NAME+0xOFF`, MethodTable
        /// address -> type name. Either returns null for an address it does not know.</summary>
        public static void SetResolvers(delegate*<ulong, bool, string> nameOfCode, delegate*<ulong, string> nameOfType)
        {
            s_nameOfCode = nameOfCode;
            s_nameOfType = nameOfType;
        }

        /// <summary>The display name of a MethodTable, or null when no resolver knows it.</summary>
        public static string TypeNameOf(ulong methodTable) => s_nameOfType != null ? s_nameOfType(methodTable) : null;

        public static string TypeName(object obj)
        {
            string name = s_nameOfType != null ? s_nameOfType(ExceptionFrames.TypeHandle(obj)) : null;
            return name ?? string.Concat("type@0x", Number.ToHex(ExceptionFrames.TypeHandle(obj), 1, false));
        }

        /// <summary>`Type: message`, the inner exceptions after ` ---> `, then the backtrace (as the BCL does).</summary>
        public static string Describe(Exception exception)
        {
            string text = string.Concat(TypeName(exception), ": ", exception.Message);
            if (exception.InnerException != null)
                text = string.Concat(text, " ---> ", Describe(exception.InnerException), "\n   --- End of inner exception stack trace ---");
            string trace = exception.StackTrace;
            return trace != null ? string.Concat(text, "\n", trace) : text;
        }

        internal static string FormatStackTrace(Exception exception)
        {
            string text = "";
            for (int i = 0; i < exception.StackFrameCount; i++)
            {
                ulong ip = exception.StackFrameIp(i);
                string name = s_nameOfCode != null ? s_nameOfCode(ip, !exception.IsFaultingStackFrame(i)) : null;
                text = string.Concat(text, i == 0 ? "   at " : "\n   at ", name ?? string.Concat("0x", Number.ToHex(ip, 16, false)));
            }
            return text;
        }
    }
}
