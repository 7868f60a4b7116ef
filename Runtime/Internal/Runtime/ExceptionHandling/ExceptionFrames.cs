// ExceptionFrames.cs -- read access to what the dispatcher recorded in an exception, for code outside the core
// library (the panic screen, the log): its backtrace frames and the address of its type's MethodTable.
using System;

namespace Internal.Runtime.ExceptionHandling
{
    public static unsafe class ExceptionFrames
    {
        public static int Count(Exception exception) => exception.StackFrameCount;

        /// <summary>The frame's IP: the return address into the method, or the faulting instruction for the first
        /// frame of a hardware fault.</summary>
        public static ulong Ip(Exception exception, int index) => exception.StackFrameIp(index);

        public static ulong Sp(Exception exception, int index) => exception.StackFrameSp(index);

        /// <summary>True if the frame's IP is a faulting instruction (name it by IP), false for a return address
        /// (name it by IP - 1, its call).</summary>
        public static bool IsFaultingFrame(Exception exception, int index) => exception.IsFaultingStackFrame(index);

        /// <summary>The MethodTable address of an object's type (what the image's symbol table names).</summary>
        public static ulong TypeHandle(object obj) => (ulong)obj.GetMethodTable();
    }
}
