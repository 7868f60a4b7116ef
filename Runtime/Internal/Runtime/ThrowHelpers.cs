// ThrowHelpers.cs -- the throw helpers ILC-generated code calls, and the runtime's remaining fail-fast exports.
using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.CompilerHelpers
{
    // Called by ILC-generated code for the checks it emits (bounds, overflow, casts, ...): each throws the exception
    // the compiler expects. The ones for features this runtime does not have (reflection, type loading) still end
    // the kernel, with the exception's name: there is no code that could catch them meaningfully.
    internal static class ThrowHelpers
    {
        public static void ThrowIndexOutOfRangeException() => throw new IndexOutOfRangeException();
        public static void ThrowOverflowException() => throw new OverflowException();
        public static void ThrowNullReferenceException() => throw new NullReferenceException();
        public static void ThrowDivideByZeroException() => throw new DivideByZeroException();
        public static void ThrowArgumentOutOfRangeException() => throw new ArgumentOutOfRangeException();
        public static void ThrowArgumentException() => throw new ArgumentException();
        public static void ThrowPlatformNotSupportedException() => throw new PlatformNotSupportedException();
        public static void ThrowNotImplementedException() => throw new NotImplementedException();
        public static void ThrowInvalidCastException() => throw new InvalidCastException();
        public static void ThrowArrayTypeMismatchException() => throw new ArrayTypeMismatchException();
        public static void ThrowTypeLoadException() => RuntimeEnv.FailFast("TypeLoadException");
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

    // `throw`, `throw;` and the dispatcher are RhpThrowEx/RhpRethrow (Kernel/Boot/exceptions.asm) and
    // Internal.Runtime.ExceptionHandling.ExceptionDispatch.
    internal static class ExceptionExports
    {
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

        private static Type GetRuntimeType(IntPtr pEEType) => Type.GetTypeFromHandle(GetRuntimeTypeHandle(pEEType));
    }
}
