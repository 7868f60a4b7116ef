// UserCpuSetup.cs -- prepares the CPU for ring 3: the per-CPU block behind GS, the `syscall` MSRs and SMEP/SMAP.
//   STAR[47:32] = 0x08: syscall loads CS 0x08, SS 0x10 (kernel code and data in boot.asm's GDT);
//   STAR[63:48] = 0x10: sysret loads SS 0x10+8 = 0x18 (user data) and CS 0x10+16 = 0x20 (user code), RPL 3;
//   LSTAR = k_syscall_entry; SFMASK clears IF, DF, TF, AC and NT on entry (the entry turns interrupts back on once
//   it is on the kernel stack).
// SMEP (the kernel never executes user pages) and SMAP (never touches them outside UserMemory) when CPUID has them.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Arch;
using Kernel.Interrupts;

namespace Kernel.User
{
    public static unsafe class UserCpuSetup
    {
        private const uint EferMsr = 0xC0000080, StarMsr = 0xC0000081, LstarMsr = 0xC0000082, SfmaskMsr = 0xC0000084;
        private const ulong EferSyscallEnable = 1;
        private const ulong MaskedFlags = (1 << 8) | (1 << 9) | (1 << 10) | (1 << 14) | (1 << 18);   // TF IF DF NT AC
        private const ulong Cr4Smep = 1UL << 20, Cr4Smap = 1UL << 21;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_syscall_entry_address")]
        private static extern ulong SyscallEntryAddress();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_user_copy_fault_ip_address")]
        private static extern ulong UserCopyFaultIp();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_user_copy_recover_address")]
        private static extern ulong UserCopyRecover();

        private static ulong s_cr4Bits;

        // The MSRs are per CPU: every CPU that may run a world needs them (sysret and swapgs assume them).
        private static void WriteSyscallMsrs()
        {
            Cpu.WriteMsr(StarMsr, (0x10UL << 48) | (0x08UL << 32));
            Cpu.WriteMsr(LstarMsr, SyscallEntryAddress());
            Cpu.WriteMsr(SfmaskMsr, MaskedFlags);
            Cpu.WriteMsr(EferMsr, Cpu.ReadMsr(EferMsr) | EferSyscallEnable);
        }

        /// <summary>An application processor that is about to run worlds: the same syscall MSRs, SMEP/SMAP as the
        /// bootstrap CPU, and no user GS yet (no logging: called from the CPU's start-up work).</summary>
        public static void InitializeThisCpu()
        {
            WriteSyscallMsrs();
            Cpu.WriteMsr(0xC0000102, 0);   // KERNEL_GS_BASE: the user's GS until the first swapgs
            Cpu.WriteCr4(Cpu.ReadCr4() | s_cr4Bits);
        }

        public static bool Smep { get; private set; }
        public static bool Smap { get; private set; }

        public static void Initialize()
        {
            PerCpu.InstallBoot();
            WriteSyscallMsrs();
            Exceptions.SetUserCopyRecovery(UserCopyFaultIp(), UserCopyRecover());
            InterruptDispatch.SetUserReturnHook(&SignalDelivery.AtInterruptReturn);   // handlers run after a preemption too

            uint* r = stackalloc uint[4];
            Cpu.CpuId(0, 0, r);
            if (r[0] >= 7)
            {
                Cpu.CpuId(7, 0, r);
                Smep = (r[1] & (1u << 7)) != 0;
                Smap = (r[1] & (1u << 20)) != 0;
            }
            ulong cr4 = Cpu.ReadCr4();
            if (Smep)
                cr4 |= Cr4Smep;
            if (Smap)
                cr4 |= Cr4Smap;
            Cpu.WriteCr4(cr4);
            UserMemory.SmapEnabled = Smap;
            s_cr4Bits = cr4 & (Cr4Smep | Cr4Smap);
            Logging.Log.Info("UserWorld", string.Concat("Ring 3 ready: syscall/sysret, SMEP ", Smep ? "on" : "off (CPU lacks it)", ", SMAP ", Smap ? "on" : "off (CPU lacks it)"));
        }
    }
}
