// Cpu.cs -- the privileged instructions, as direct calls into Kernel/Boot/cpu.asm (no marshalling, SysV ABI).
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Kernel.Arch
{
    public static unsafe class Cpu
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_outb")] public static extern void OutByte(ushort port, byte value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_inb")] public static extern byte InByte(ushort port);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_outw")] public static extern void OutWord(ushort port, ushort value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_inw")] public static extern ushort InWord(ushort port);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_outd")] public static extern void OutDword(ushort port, uint value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_ind")] public static extern uint InDword(ushort port);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_cli")] public static extern void DisableInterrupts();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_sti")] public static extern void EnableInterrupts();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_hlt")] public static extern void Halt();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_sti_hlt")] public static extern void EnableInterruptsAndHalt();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_pause")] public static extern void Pause();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_halt_forever")] public static extern void HaltForever();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_read_rflags")] public static extern ulong ReadFlags();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_write_rflags")] public static extern void WriteFlags(ulong flags);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_lidt")] public static extern void LoadIdt(void* descriptor);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_read_cr0")] public static extern ulong ReadCr0();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_write_cr0")] public static extern void WriteCr0(ulong value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_read_cr2")] public static extern ulong ReadCr2();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_read_cr3")] public static extern ulong ReadCr3();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_write_cr3")] public static extern void WriteCr3(ulong value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_read_cr4")] public static extern ulong ReadCr4();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_write_cr4")] public static extern void WriteCr4(ulong value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_invlpg")] public static extern void InvalidatePage(ulong address);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_rdmsr")] public static extern ulong ReadMsr(uint msr);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_wrmsr")] public static extern void WriteMsr(uint msr, ulong value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_cpuid")] public static extern void CpuId(uint leaf, uint subleaf, uint* registers);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_rdtsc")] public static extern ulong ReadTimestampCounter();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_read_rbp")] public static extern ulong ReadFramePointer();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_read_rsp")] public static extern ulong ReadStackPointer();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_int3")] public static extern void Breakpoint();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_triple_fault")] public static extern void TripleFault();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_isr_stubs_address")] public static extern ulong* InterruptStubs();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_memset")] public static extern void SetMemory(void* destination, int value, ulong count);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_memmove")] public static extern void CopyMemory(void* destination, void* source, ulong count);

        public const ulong InterruptFlag = 1 << 9;

        public static bool InterruptsEnabled => (ReadFlags() & InterruptFlag) != 0;

        /// <summary>Disables interrupts and returns the previous flags, for a matching <see cref="RestoreInterrupts"/>.</summary>
        public static ulong SaveAndDisableInterrupts()
        {
            ulong flags = ReadFlags();
            DisableInterrupts();
            return flags;
        }

        public static void RestoreInterrupts(ulong flags)
        {
            if ((flags & InterruptFlag) != 0)
                EnableInterrupts();
        }
    }
}
