// ExceptionKind.cs -- why a dispatch started; the assembly thunks pass it to the dispatcher (values are shared
// with Kernel/Boot/exceptions.asm and the kernel's fault handler).
namespace Internal.Runtime.ExceptionHandling
{
    public enum ExceptionKind : byte
    {
        Throw = 1,                     // `throw e` (RhpThrowEx)
        Rethrow = 2,                   // `throw;` in a catch handler (RhpRethrow): same object, backtrace kept
        HardwareNullReference = 3,     // a page fault at a low address in managed code (RhpThrowHwEx)
        HardwareDivideByZero = 4,      // #DE in managed code (RhpThrowHwEx)
    }
}
