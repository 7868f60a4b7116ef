// UnhandledExceptionPolicy.cs -- what an exception no handler caught does, decided by the world it happened in.
//
// ESXi's rule is to kill the offender, not the host. A helper world (the log writer, cron) or a user workload is
// not part of the kernel: it ends with exit status ExitStatus, a warning with the exception and its backtrace goes
// to the vmkernel log, and everything else carries on (its memory, stack and mutexes are returned as for any
// exit). Every other world -- the boot/shell world, driver worlds, the idle world -- and any code running before
// the scheduler is the kernel itself: its unhandled exception is a kernel bug and ends in the panic screen. So is
// one thrown by an interrupt handler (whatever world it interrupted) or with interrupts disabled (a critical
// section of shared kernel state was left half done).
// No finally handler runs for an unhandled exception (the first pass found no catch; nothing is unwound).
using System;
using Internal.Runtime.ExceptionHandling;
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Logging;
using Kernel.Panic;

namespace Kernel.Worlds
{
    public static unsafe class UnhandledExceptionPolicy
    {
        /// <summary>Exit status of a world ended by an unhandled exception (SIGABRT's number, negated).</summary>
        public const int ExitStatus = -6;

        public static void Install()
        {
            ExceptionDispatch.SetUnhandledExceptionHandler(&Handle);
            ExceptionText.SetResolvers(&SymbolTable.Describe, &SymbolTable.DescribeType);
        }

        /// <summary>Whether an unhandled exception ends just this world (true) or the kernel (false).</summary>
        public static bool EndsOnlyTheWorld(World world)
            => world != null && !world.IsIdle && world.StackBase != 0 && (world.Type & (WorldType.Helper | WorldType.User)) != 0;

        private static void Handle(Exception exception)
        {
            World world = Scheduler.IsRunning ? Scheduler.Current : null;
            bool inCriticalCode = InterruptDispatch.InDeviceHandler || !Cpu.InterruptsEnabled;
            if (!EndsOnlyTheWorld(world) || inCriticalCode || PanicScreen.InPanic)
            {
                PanicScreen.ShowUnhandledException(exception);
                return;
            }
            Log.Warning("World", string.Concat("Unhandled exception in world ", world.Id.ToString(), " (", world.Name, "): ",
                string.Concat(ExceptionText.TypeName(exception), ": ", exception.Message, "; ending the world")));
            int frames = ExceptionFrames.Count(exception);
            for (int i = 0; i < frames; i++)
            {
                ulong ip = ExceptionFrames.Ip(exception, i);
                string frame = SymbolTable.Describe(ip, !ExceptionFrames.IsFaultingFrame(exception, i));
                Log.Warning("World", string.Concat("  at ", frame ?? string.Concat("0x", ip.ToString("x"))));
            }
            Scheduler.Exit(ExitStatus);
        }
    }
}
