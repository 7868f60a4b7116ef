// LocalApic.cs -- this CPU's local APIC: xAPIC (registers in a 4 KiB MMIO page, mapped uncached) or x2APIC
// (registers as MSRs 0x800 + offset/16, used when the CPU has it or the firmware already switched it on, since an
// x2APIC-mode APIC no longer answers MMIO). Every CPU's APIC sits at the same address, so one set of statics serves
// all of them. Register offsets from the Intel SDM vol. 3, 11.4-11.6 and 11.12.
using Kernel.Arch;
using Kernel.Memory;

namespace Drivers.Apic
{
    public static unsafe class LocalApic
    {
        public const int Id = 0x20, Version = 0x30, TaskPriority = 0x80, Eoi = 0xB0, Spurious = 0xF0, ErrorStatus = 0x280,
            IcrLow = 0x300, IcrHigh = 0x310, LvtTimer = 0x320, LvtLint0 = 0x350, LvtLint1 = 0x360, LvtError = 0x370,
            TimerInitialCount = 0x380, TimerCurrentCount = 0x390, TimerDivide = 0x3E0;

        public const uint LvtMasked = 1u << 16;
        public const uint LvtPeriodic = 1u << 17;
        public const uint DeliveryNmi = 4u << 8;
        public const uint LvtActiveLow = 1u << 13;
        public const uint LvtLevel = 1u << 15;
        public const uint SoftwareEnable = 1u << 8;

        /// <summary>The vector the APIC raises when an interrupt goes away before it is delivered (no EOI).</summary>
        public const int SpuriousVector = 0xFF;
        public const int ErrorVector = 0xFE;

        private const uint ApicBaseMsr = 0x1B;
        private const ulong ApicBaseEnable = 1UL << 11, ApicBaseX2 = 1UL << 10;
        private const uint X2MsrBase = 0x800;

        private static uint* s_mmio;
        private static bool s_x2;
        private static ulong s_physical;

        public static bool IsAvailable => s_x2 || s_mmio != null;
        public static bool IsX2Apic => s_x2;
        public static ulong PhysicalAddress => s_physical;

        /// <summary>
        /// Finds and maps the APIC (bootstrap CPU, once): x2APIC when CPUID offers it, else the xAPIC page at
        /// <paramref name="madtAddress"/> (the MADT's word; the APIC base MSR's when that is 0). False without an APIC.
        /// </summary>
        public static bool Initialize(ulong madtAddress)
        {
            uint* r = stackalloc uint[4];
            Cpu.CpuId(1, 0, r);
            if ((r[3] & (1u << 9)) == 0)
                return false;
            ulong msr = Cpu.ReadMsr(ApicBaseMsr);
            s_x2 = (r[2] & (1u << 21)) != 0 || (msr & ApicBaseX2) != 0;
            s_physical = madtAddress != 0 ? madtAddress : msr & 0x000F_FFFF_FFFF_F000UL;
            if (!s_x2)
                s_mmio = (uint*)Paging.MapDevice(s_physical, 0x1000);
            return true;
        }

        /// <summary>
        /// Turns this CPU's APIC on: the mode bits in the base MSR, software enable with the spurious vector, every
        /// priority accepted, LINT0 masked (the IOAPIC, not the PIC's ExtINT, brings device interrupts), LINT1 as NMI
        /// (the wiring every PC and the MADT's local NMI entries describe) and the error vector.
        /// </summary>
        public static void EnableOnThisCpu(bool lint1IsNmi)
        {
            ulong msr = Cpu.ReadMsr(ApicBaseMsr) | ApicBaseEnable;
            if (s_x2)
                msr |= ApicBaseX2;
            Cpu.WriteMsr(ApicBaseMsr, msr);
            Write(TaskPriority, 0);
            Write(LvtLint0, LvtMasked);
            Write(LvtLint1, lint1IsNmi ? DeliveryNmi : LvtMasked);
            Write(LvtError, ErrorVector);
            Write(LvtTimer, LvtMasked);
            Write(Spurious, SoftwareEnable | SpuriousVector);
            Write(ErrorStatus, 0);   // the error register latches on a write
            Write(Eoi, 0);           // anything the firmware left in service
        }

        /// <summary>This CPU's APIC ID (the full 32 bits in x2APIC mode, bits 24-31 of the ID register otherwise).</summary>
        public static uint CurrentId => s_x2 ? Read(Id) : Read(Id) >> 24;

        public static void EndOfInterrupt() => Write(Eoi, 0);

        public static uint Read(int register) =>
            s_x2 ? (uint)Cpu.ReadMsr(X2MsrBase + (uint)(register >> 4)) : s_mmio[register >> 2];

        public static void Write(int register, uint value)
        {
            if (s_x2)
                Cpu.WriteMsr(X2MsrBase + (uint)(register >> 4), value);
            else
                s_mmio[register >> 2] = value;
        }

        /// <summary>
        /// Sends an inter-processor interrupt: <paramref name="command"/> is the ICR's low word (vector, delivery
        /// mode, level, shorthand). xAPIC: the destination goes in first (the low write sends) and the delivery
        /// status bit is polled until the APIC has taken it; x2APIC: one 64-bit MSR write.
        /// </summary>
        public static void SendIpi(uint destinationApicId, uint command)
        {
            if (s_x2)
            {
                Cpu.WriteMsr(X2MsrBase + (IcrLow >> 4), (ulong)destinationApicId << 32 | command);
                return;
            }
            Write(IcrHigh, destinationApicId << 24);
            Write(IcrLow, command);
            while ((Read(IcrLow) & (1u << 12)) != 0)
                Cpu.Pause();
        }

        private const uint LevelAssert = 1u << 14, ShorthandAllExcludingSelf = 3u << 18;

        /// <summary>An NMI to one CPU (the panic stop's and `crash cpu N`'s signal: it gets through with interrupts off).</summary>
        public static void SendNmi(uint destinationApicId) => SendIpi(destinationApicId, LevelAssert | DeliveryNmi);

        /// <summary>An NMI to every CPU but this one (the ICR's destination shorthand).</summary>
        public static void SendNmiToAllOthers() => SendIpi(0, ShorthandAllExcludingSelf | LevelAssert | DeliveryNmi);
    }
}
