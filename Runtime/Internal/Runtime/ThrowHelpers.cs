// ThrowHelpers.cs -- the throw helpers ILC-generated code calls; without an unwinder each one is a panic.
using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.CompilerHelpers
{
    internal static class ThrowHelpers
    {
        public static void ThrowIndexOutOfRangeException() => RuntimeEnv.FailFast("IndexOutOfRangeException: Index was outside the bounds of the array.");
        public static void ThrowOverflowException() => RuntimeEnv.FailFast("OverflowException: Arithmetic operation resulted in an overflow.");
        public static void ThrowNullReferenceException() => RuntimeEnv.FailFast("NullReferenceException");
        public static void ThrowDivideByZeroException() => RuntimeEnv.FailFast("DivideByZeroException: Attempted to divide by zero.");
        public static void ThrowArgumentOutOfRangeException() => RuntimeEnv.FailFast("ArgumentOutOfRangeException");
        public static void ThrowArgumentException() => RuntimeEnv.FailFast("ArgumentException");
        public static void ThrowPlatformNotSupportedException() => RuntimeEnv.FailFast("PlatformNotSupportedException");
        public static void ThrowNotImplementedException() => RuntimeEnv.FailFast("NotImplementedException");
        public static void ThrowInvalidCastException() => RuntimeEnv.FailFast("InvalidCastException");
        public static void ThrowTypeLoadException() => RuntimeEnv.FailFast("TypeLoadException");
        public static void ThrowArrayTypeMismatchException() => RuntimeEnv.FailFast("ArrayTypeMismatchException");
        public static void ThrowFeatureBodyRemoved() => RuntimeEnv.FailFast("FeatureBodyRemoved");
        public static void ThrowInvalidProgramException() => RuntimeEnv.FailFast("InvalidProgramException");
        public static void ThrowInvalidProgramExceptionWithArgument() => RuntimeEnv.FailFast("InvalidProgramException");
        public static void ThrowMarshalDirectiveException() => RuntimeEnv.FailFast("MarshalDirectiveException");
        public static void ThrowBadImageFormatException() => RuntimeEnv.FailFast("BadImageFormatException");
        public static void ThrowMissingMethodException() => RuntimeEnv.FailFast("MissingMethodException");
        public static void ThrowMissingFieldException() => RuntimeEnv.FailFast("MissingFieldException");
        public static void ThrowFileNotFoundException() => RuntimeEnv.FailFast("FileNotFoundException");
        public static void ThrowUnavailableType() => RuntimeEnv.FailFast("UnavailableType");
        public static void ThrowEntryPointNotFoundException() => RuntimeEnv.FailFast("EntryPointNotFoundException");
        public static void ThrowAmbiguousMatchException() => RuntimeEnv.FailFast("AmbiguousMatchException");
    }

    internal static class ExceptionExports
    {
        // A throw reaches here. Exceptions are bugs in kernel code (errors are values), so this is a panic that
        // names the exception; a real unwinder comes with userworlds and the collector.
        [RuntimeExport("RhpThrowEx")]
        private static void RhpThrowEx(object exception)
        {
            Exception e = Unsafe.As<Exception>(exception);
            RuntimeEnv.FailFast(string.Concat("Unhandled exception: ", e.Message));
        }

        [RuntimeExport("RhpRethrow")]
        private static void RhpRethrow() => RuntimeEnv.FailFast("Unhandled exception (rethrow)");

        [RuntimeExport("RhpFallbackFailFast")]
        private static void RhpFallbackFailFast() => RuntimeEnv.FailFast("stack buffer overrun (GS cookie check failed)");

        [RuntimeExport("RhDebugBreak")]
        private static void RhDebugBreak() => RuntimeEnv.FailFast("debug break");
    }

    internal static unsafe class LdTokenHelpers
    {
        private static RuntimeTypeHandle GetRuntimeTypeHandle(IntPtr pEEType)
        {
            RuntimeTypeHandle h = default;
            *(IntPtr*)&h = pEEType;
            return h;
        }

        private static RuntimeMethodHandle GetRuntimeMethodHandle(IntPtr pHandleSignature)
        {
            RuntimeMethodHandle h = default;
            *(IntPtr*)&h = pHandleSignature;
            return h;
        }

        private static RuntimeFieldHandle GetRuntimeFieldHandle(IntPtr pHandleSignature)
        {
            RuntimeFieldHandle h = default;
            *(IntPtr*)&h = pHandleSignature;
            return h;
        }

        private static Type GetRuntimeType(IntPtr pEEType)
        {
            RuntimeEnv.FailFast("typeof() is not supported");
            return null;
        }
    }
}
