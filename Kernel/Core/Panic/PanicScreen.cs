// PanicScreen.cs -- the purple screen of death: what broke, where, the registers and the backtrace, on the
// console and (each line prefixed `@BlueScreen: `) on serial; then halt, or leave QEMU under test.
//
// Layout follows ESXi's PSOD: product line, the panic message, exception and error code, registers with CR2,
// the world running on each CPU, the backtrace, `VMK uptime: d:hh:mm:ss.ms`. Allocation-free throughout, and a
// second panic while printing the first only halts.
using System;
using System.Threading;
using Internal.Runtime.ExceptionHandling;
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Time;
using Kernel.Worlds;

namespace Kernel.Panic
{
    public static unsafe class PanicScreen
    {
        private static bool s_inPanic;
        // The panicking CPU's index + 1 (0: none), claimed atomically: two CPUs may panic at once, and only the first
        // prints. +1 so that zeroed static data means "none" even before static initialization ran.
        private static int s_panicCpuPlusOne;
        private static int s_stoppedOthers;

        /// <summary>The CPU printing the panic screen, or -1.</summary>
        public static int PanicCpu => Interlocked.CompareExchange(ref s_panicCpuPlusOne, 0, 0) - 1;
        private static delegate*<void> s_enterScreenMode;
        private static delegate*<void> s_exit;

        public static bool InPanic => s_inPanic;

        /// <summary>The console driver's switch to the purple screen (clear, white on purple).</summary>
        public static void SetScreenMode(delegate*<void> enter) => s_enterScreenMode = enter;

        /// <summary>What to do after printing instead of halting (tests: leave QEMU with a distinct code).</summary>
        public static void SetExitAction(delegate*<void> exit) => s_exit = exit;

        /// <summary>A kernel bug detected by software (failed assertion, runtime failure).</summary>
        public static void Show(string message)
        {
            if (!Begin())
                return;
            Header(message);
            PanicWriter.Line("Panic requested by kernel code (no CPU exception)");
            WorldsAndUptime();
            Backtrace.Print((ulong)(delegate*<string, void>)&Show, Cpu.ReadFramePointer());
            End();
        }

        /// <summary>
        /// A managed exception no handler caught, in a world the kernel cannot do without: its type, message and
        /// inner exceptions, the world, and the backtrace the dispatcher recorded from the throw site outward.
        /// </summary>
        public static void ShowUnhandledException(Exception exception)
        {
            if (!Begin())
                return;
            PanicWriter.Append("Unhandled exception ");
            AppendTypeName(exception);
            PanicWriter.Append(" in world ");
            PanicWriter.AppendDecimal((ulong)CurrentWorld.Id);
            PanicWriter.Append(':');
            PanicWriter.Append(CurrentWorld.Name);
            Header(null);
            for (Exception e = exception; e != null; e = e.InnerException)
            {
                PanicWriter.Append(e == exception ? "Exception: " : "Inner exception: ");
                AppendTypeName(e);
                PanicWriter.Append(": ");
                PanicWriter.Append(e.Message);
                PanicWriter.EndLine();
            }
            WorldsAndUptime();
            int frames = ExceptionFrames.Count(exception);
            for (int i = 0; i < frames; i++)
                Backtrace.PrintFrame(ExceptionFrames.Sp(exception, i), ExceptionFrames.Ip(exception, i), !ExceptionFrames.IsFaultingFrame(exception, i));
            if (frames == 0)
                PanicWriter.Line("(no managed frames were recorded)");
            End();
        }

        private static void AppendTypeName(object obj)
        {
            SymbolTable.Symbol type = SymbolTable.LookupType(ExceptionFrames.TypeHandle(obj));
            if (!type.Found)
            {
                PanicWriter.Append("type@");
                PanicWriter.AppendHex(ExceptionFrames.TypeHandle(obj));
                return;
            }
            for (int i = SymbolTable.AssemblyPrefixLength(type.Name, type.NameLength); i < type.NameLength; i++)
                PanicWriter.Append(type.Name[i] == '_' ? '.' : (char)type.Name[i]);
        }

        /// <summary>A CPU exception in kernel code.</summary>
        public static void ShowException(InterruptFrame* frame, int vector, ulong cr2)
        {
            if (!Begin())
                return;
            if ((vector == Exceptions.DoubleFault || vector == Exceptions.PageFault) && IsStackGuard(cr2))
            {
                // The fault that could not be delivered hit the guard page below the stack: say so first.
                PanicWriter.Append("Stack overflow in world ");
                PanicWriter.AppendDecimal((ulong)CurrentWorld.Id);
                PanicWriter.Append(':');
                PanicWriter.Append(CurrentWorld.Name);
                PanicWriter.Append(": guard page hit at ");
                PanicWriter.AppendHex(cr2, 16);
                PanicWriter.EndLine();
            }
            PanicWriter.Append(Exceptions.Name(vector));
            PanicWriter.Append(" Exception ");
            PanicWriter.AppendDecimal((ulong)vector);
            PanicWriter.Append(" in world ");
            PanicWriter.AppendDecimal((ulong)CurrentWorld.Id);
            PanicWriter.Append(':');
            PanicWriter.Append(CurrentWorld.Name);
            PanicWriter.Append(" IP ");
            PanicWriter.AppendHex(frame->Rip, 16);
            if (vector == 14)
            {
                PanicWriter.Append(" addr ");
                PanicWriter.AppendHex(cr2, 16);
            }
            Header(null);
            PanicWriter.Append("Exception ");
            PanicWriter.AppendDecimal((ulong)vector);
            PanicWriter.Append(" (");
            PanicWriter.Append(Exceptions.Name(vector));
            PanicWriter.Append(") error code ");
            PanicWriter.AppendHex(frame->ErrorCode);
            if (vector == 14)
                DescribePageFault(frame->ErrorCode, cr2);
            PanicWriter.EndLine();
            Registers(frame, cr2);
            WorldsAndUptime();
            Backtrace.Print(frame->Rip, frame->Rbp);
            End();
        }

        // The guard page below the running world's stack (the boot stack for the boot world, which has no StackBase).
        private static bool IsStackGuard(ulong address)
        {
            World world = Scheduler.Current;
            ulong guard = world != null && world.StackBase != 0 ? world.StackBase : Kernel.Boot.ImageLayout.Current.BootStackGuard;
            return address >= guard && address < guard + Memory.PhysicalMemory.PageSize;
        }

        private static bool Begin()
        {
            Cpu.DisableInterrupts();
            int me = Internal.Runtime.ThisCpu.Index;
            int previous = Interlocked.CompareExchange(ref s_panicCpuPlusOne, me + 1, 0) - 1;
            if (previous == me)
            {
                Console.KernelOutput.WriteSerial("@BlueScreen: recursive panic; halting\n");
                Cpu.HaltForever();
                return false;
            }
            if (previous >= 0)
            {
                // Another CPU is printing its panic: its stop NMI will find this one here.
                while (true)
                    Cpu.Halt();
            }
            s_inPanic = true;
            // Stop the other CPUs before printing: nothing else may write to the console or change what we read.
            s_stoppedOthers = CpuStop.StopOthers();
            if (s_enterScreenMode != null)
                s_enterScreenMode();
            return true;
        }

        private static void Header(string message)
        {
            // The first line (the message) may already be in the writer's buffer (exceptions build it first).
            if (message != null)
                PanicWriter.Append(message);
            PanicWriter.EndLine();
            PanicWriter.Append(KernelVersion.Product);
            PanicWriter.Append(' ');
            PanicWriter.Append(KernelVersion.Version);
            PanicWriter.Append(" [");
            PanicWriter.Append(KernelVersion.Build);
            PanicWriter.Append("] x86_64");
            PanicWriter.EndLine();
        }

        private static void DescribePageFault(ulong error, ulong cr2)
        {
            PanicWriter.Append((error & 1) != 0 ? " (protection violation" : " (page not present");
            PanicWriter.Append((error & 2) != 0 ? ", write" : ", read");
            if ((error & 16) != 0)
                PanicWriter.Append(", instruction fetch");
            if ((error & 4) != 0)
                PanicWriter.Append(", user mode");
            PanicWriter.Append(')');
            if (cr2 < 4096)
                PanicWriter.Append(" - null pointer dereference");
        }

        private static void Registers(InterruptFrame* f, ulong cr2)
        {
            Pair("rax", f->Rax, "rbx", f->Rbx, "rcx", f->Rcx);
            Pair("rdx", f->Rdx, "rsi", f->Rsi, "rdi", f->Rdi);
            Pair("rbp", f->Rbp, "rsp", f->Rsp, "r8 ", f->R8);
            Pair("r9 ", f->R9, "r10", f->R10, "r11", f->R11);
            Pair("r12", f->R12, "r13", f->R13, "r14", f->R14);
            Pair("r15", f->R15, "rip", f->Rip, "rfl", f->Rflags);
            Pair("cr0", Cpu.ReadCr0(), "cr2", cr2, "cr3", Cpu.ReadCr3());
            Pair("cr4", Cpu.ReadCr4(), "cs ", f->Cs, "ss ", f->Ss);
        }

        private static void Pair(string a, ulong va, string b, ulong vb, string c, ulong vc)
        {
            Register(a, va);
            Register(b, vb);
            Register(c, vc);
            PanicWriter.EndLine();
        }

        private static void Register(string name, ulong value)
        {
            PanicWriter.Append(name);
            PanicWriter.Append('=');
            PanicWriter.AppendHex(value, 16);
            PanicWriter.Append("  ");
        }

        private static void WorldsAndUptime()
        {
            int me = Internal.Runtime.ThisCpu.Index;
            PanicWriter.Append("*PCPU");
            PanicWriter.AppendDecimal((ulong)me);
            if (me == 0 || CurrentWorld.IdOn(me) != 0)
            {
                PanicWriter.Append(':');
                PanicWriter.AppendDecimal((ulong)CurrentWorld.Id);
                PanicWriter.Append('/');
                PanicWriter.Append(CurrentWorld.Name);
            }
            else
            {
                PanicWriter.Append(": application processor, no world (parked: worlds run on cpu0)");
            }
            PanicWriter.EndLine();
            OtherCpus(me);
            ulong ms = Clock.UptimeMilliseconds;
            PanicWriter.Append("VMK uptime: ");
            PanicWriter.AppendDecimal(ms / 86400000);
            PanicWriter.Append(':');
            PanicWriter.AppendDecimal(ms / 3600000 % 24, 2);
            PanicWriter.Append(':');
            PanicWriter.AppendDecimal(ms / 60000 % 60, 2);
            PanicWriter.Append(':');
            PanicWriter.AppendDecimal(ms / 1000 % 60, 2);
            PanicWriter.Append('.');
            PanicWriter.AppendDecimal(ms % 1000, 3);
            PanicWriter.EndLine();
            PanicWriter.Line("Backtrace:");
        }

        // One line per other CPU: what it ran and where the stop NMI found it, or that it never checked in.
        private static void OtherCpus(int me)
        {
            int count = PerCpu.Count;
            if (count <= 1)
                return;
            for (int cpu = 0; cpu < count; cpu++)
            {
                if (cpu == me)
                    continue;
                PanicWriter.Append(" PCPU");
                PanicWriter.AppendDecimal((ulong)cpu);
                if (!CpuStop.StoppedState(cpu, out ulong rip, out int worldId))
                {
                    PanicWriter.Append(": did not stop");
                }
                else
                {
                    if (cpu == 0 || worldId != 0)
                    {
                        PanicWriter.Append(':');
                        PanicWriter.AppendDecimal((ulong)worldId);
                        PanicWriter.Append('/');
                        PanicWriter.Append(CurrentWorld.NameOn(cpu) ?? "init");
                    }
                    else
                    {
                        PanicWriter.Append(": parked");
                    }
                    PanicWriter.Append(", stopped at ");
                    PanicWriter.AppendHex(rip);
                }
                PanicWriter.EndLine();
            }
            PanicWriter.Append("Other CPUs stopped: ");
            PanicWriter.AppendDecimal((ulong)s_stoppedOthers);
            PanicWriter.Append(" of ");
            PanicWriter.AppendDecimal((ulong)(count - 1));
            PanicWriter.EndLine();
        }

        private static void End()
        {
            PanicWriter.Line("No core dump: the kernel is halted.");
            if (s_exit != null)
                s_exit();
            Cpu.HaltForever();
        }
    }
}
