// CrashCommand.cs -- `crash [null|throw|overflow|fault]`: a deliberate kernel panic, for testing the panic screen:
//   null      a null dereference in managed code: NullReferenceException, which nobody catches (the default);
//   throw     an InvalidOperationException thrown three calls deep, which nobody catches;
//   overflow  unbounded recursion: the stack's guard page, then the panic screen naming the world;
//   fault     a CPU exception no managed exception stands for (a breakpoint trap): the register dump;
//   cpu N     a panic raised on cpuN (an NMI asks it, Kernel/Core/Panic/CpuStop.cs): the screen names that CPU and
//             the others are stopped.
// The shell runs in a kernel world, so each ends in the panic screen (see UnhandledExceptionPolicy).
using System;
using System.Runtime.CompilerServices;
using Kernel.Arch;

namespace Kernel.Shell.Commands
{
    internal sealed unsafe class CrashCommand : ShellCommand
    {
        public override string Name => "crash";
        public override string Summary => "panic the kernel on purpose: crash [null|throw|overflow|fault|cpu N]";

        /// <summary>The panic screen is the point: exceptions raised here are not caught at the command boundary.</summary>
        public override bool FailsAlone => false;

        public override int Run(Shell shell, string[] args)
        {
            string how = args.Length > 1 ? args[1] : "null";
            switch (how)
            {
                case "null":
                    shell.WriteLine("crash: dereferencing a null pointer on purpose");
                    CrashByNullDereference(0);
                    break;
                case "throw":
                    shell.WriteLine("crash: throwing an exception nobody catches");
                    CrashByThrowOuter(3);
                    break;
                case "overflow":
                    shell.WriteLine("crash: recursing until the stack overflows");
                    CrashByRecursion(0);
                    break;
                case "fault":
                    shell.WriteLine("crash: a breakpoint trap in kernel code");
                    Cpu.Breakpoint();
                    break;
                case "cpu":
                    return CrashOnCpu(shell, args);
                default:
                    shell.WriteLine("usage: crash [null|throw|overflow|fault|cpu N]");
                    return 1;
            }
            return 1;
        }

        private static int CrashOnCpu(Shell shell, string[] args)
        {
            if (args.Length < 3 || !int.TryParse(args[2], out int cpu) || cpu <= 0 || cpu >= PerCpu.Count)
            {
                shell.WriteLine(string.Concat("crash: cpu N needs an application processor, 1 to ", (PerCpu.Count - 1).ToString()));
                return 1;
            }
            if (!Kernel.Panic.CpuStop.CanSignalOtherCpus)
            {
                shell.WriteLine("crash: no way to signal another CPU (no local APIC)");
                return 1;
            }
            shell.WriteLine(string.Concat("crash: asking cpu", cpu.ToString(), " to panic"));
            Kernel.Panic.CpuStop.RequestPanicOn(cpu);
            // Its panic stops this CPU with an NMI; if nothing happens within a second, say so.
            ulong deadline = Cpu.ReadTimestampCounter() + Kernel.Time.Clock.TscHz;
            while (Cpu.ReadTimestampCounter() < deadline)
                Cpu.Pause();
            shell.WriteLine("crash: the CPU did not panic");
            return 1;
        }

        // Each in its own non-inlined method, so the panic backtrace names them.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void CrashByNullDereference(ulong address) => *(ulong*)address = 0xDEAD;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int CrashByThrowOuter(int depth) => CrashByThrowMiddle(depth) + 1;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int CrashByThrowMiddle(int depth) => CrashByThrowInner(depth) + 1;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int CrashByThrowInner(int depth)
            => depth > 0 ? throw new InvalidOperationException("crash: deliberately unhandled") : 0;

        // A frame with some stack in it, so the guard page is reached in a few thousand calls.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int CrashByRecursion(int depth)
        {
            int* scratch = stackalloc int[32];
            scratch[depth & 31] = depth;
            return CrashByRecursion(depth + 1) + scratch[(depth + 1) & 31];
        }
    }
}
