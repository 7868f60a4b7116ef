// ApStartup.cs -- brings up the application processors the MADT lists: for each, a startup block (its GDT, cloned
// from the bootstrap CPU's one template with its own TSS; its IST stacks; its per-CPU block), a kernel stack, then
// INIT, 10 ms, STARTUP, and a second STARTUP if it has not answered after 200 us (the MP specification's sequence),
// through the real-mode trampoline of Kernel/Boot/ap.asm copied to 0x7000. One AP at a time: they share the
// trampoline's parameter block. An AP that answers loads the IDT, its GS base and its local APIC, registers as
// cpuN and parks (interrupts off, halted): this milestone has every CPU up and listed, not yet scheduling worlds.
//
// Startup block layout (one page): GDT pointer [0..10), online flag u32 [16], GDT [64..128), TSS [128..232),
// per-CPU block [256..256+PerCpu.BlockSize).
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Drivers.Acpi;
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Time;

namespace Drivers.Apic
{
    public static unsafe class ApStartup
    {
        private const ulong TrampolinePhysical = 0x7000;
        private const int GdtPointer = 0, OnlineFlag = 16, GdtAt = 64, TssAt = 128, PerCpuAt = 256;
        private const int TssLength = 104, TssSelector = 0x28;
        private const ulong KernelStackPages = 4, IstPages = 1;
        private const uint IcrInit = 0x00004500, IcrStartup = 0x00004600;   // delivery mode, level assert
        private const uint EferMsr = 0xC0000080;
        private const ulong EferActive = 1UL << 10;                          // LMA: read-only, not written back

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_ap_trampoline_layout_address")]
        private static extern ulong* TrampolineLayout();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_sgdt")]
        private static extern void StoreGdtPointer(byte* destination);

        /// <summary>Registers the bootstrap CPU as cpu0, then starts every other enabled processor in the MADT.</summary>
        public static void StartAll(Madt madt)
        {
            byte* bspBlock = NewBlock();
            if (bspBlock == null)
                return;
            PerCpu.Register(bspBlock + PerCpuAt, LocalApic.IsAvailable ? LocalApic.CurrentId : 0);
            PerCpu.InstallOnThisCpu(bspBlock + PerCpuAt);
            if (madt == null || !InterruptControllers.UsingApic || madt.EnabledProcessorCount <= 1)
                return;
            ulong cr3 = Cpu.ReadCr3() & ~0xFFFUL;
            if (cr3 >= 1UL << 32)
            {
                Log.Warning("SMP", "The kernel's page tables are above 4 GiB, out of the trampoline's reach: one CPU");
                return;
            }

            // The trampoline page: saved (it is below 1 MiB, where firmware and boot loaders leave things) and
            // identity-mapped while APs start (the instruction after paging turns on is fetched from it).
            ulong* layout = TrampolineLayout();
            ulong start = layout[0], length = layout[1] - layout[0], parameters = layout[2] - layout[0];
            byte* low = (byte*)DirectMap.Pointer(TrampolinePhysical);
            byte* saved = stackalloc byte[(int)length];
            Cpu.CopyMemory(saved, low, length);
            Cpu.CopyMemory(low, (void*)start, length);
            Paging.MapPage(TrampolinePhysical, TrampolinePhysical, Paging.Writable);
            Cpu.InvalidatePage(TrampolinePhysical);
            ulong* p = (ulong*)(low + parameters);
            p[0] = cr3;
            p[1] = Cpu.ReadMsr(EferMsr) & ~EferActive;
            p[4] = layout[3];

            uint bsp = LocalApic.CurrentId;
            int started = 0, failed = 0;
            foreach (MadtProcessor cpu in madt.Processors)
            {
                if (!cpu.Enabled || cpu.ApicId == bsp)
                    continue;
                if (PerCpu.Count == PerCpu.MaxCpus)
                {
                    Log.Warning("SMP", string.Concat("More than ", PerCpu.MaxCpus.ToString(), " CPUs: the rest stay off"));
                    break;
                }
                if (Start(cpu.ApicId, p))
                    started++;
                else
                    failed++;
            }

            Paging.Unmap(TrampolinePhysical);
            Paging.ReleaseLowerHalfTables(TrampolinePhysical);
            Cpu.CopyMemory(low, saved, length);
            if (started > 0)
            {
                Kernel.Panic.CpuStop.SetNmiSenders(&LocalApic.SendNmiToAllOthers, &SendNmiToCpu);
                ApWork.SetWaker(&SendWakeToCpu);
            }
            Log.Info("SMP", string.Concat(PerCpu.Count.ToString(), " CPUs online (", started.ToString(), " application processors started",
                failed != 0 ? string.Concat(", ", failed.ToString(), " did not answer") : "", ")"));
        }

        private static void SendNmiToCpu(int cpu) => LocalApic.SendNmi(PerCpu.ApicIdOf(cpu));

        private static void SendWakeToCpu(int cpu) => LocalApic.SendIpi(PerCpu.ApicIdOf(cpu), (1u << 14) | ApWork.WakeVector);

        private static bool Start(uint apicId, ulong* parameters)
        {
            byte* block = NewBlock();
            ulong stack = PhysicalMemory.AllocatePages(KernelStackPages);
            if (block == null || stack == 0)
            {
                Log.Warning("SMP", string.Concat("No memory to start the CPU with APIC ID ", apicId.ToString()));
                return false;
            }
            parameters[2] = DirectMap.ToVirtual(stack) + KernelStackPages * PhysicalMemory.PageSize;
            parameters[3] = (ulong)block;

            // INIT (level assert), then the startup IPI naming the trampoline's page, then a second one if needed.
            LocalApic.SendIpi(apicId, IcrInit);
            Clock.SpinMicroseconds(10_000);
            uint startup = IcrStartup | (uint)(TrampolinePhysical >> 12);
            LocalApic.SendIpi(apicId, startup);
            if (!WaitOnline(block, 200))
            {
                LocalApic.SendIpi(apicId, startup);
                // Under emulation an AP can take a while to reach long mode: a generous second wait.
                if (!WaitOnline(block, 500_000))
                {
                    Log.Warning("SMP", string.Concat("The CPU with APIC ID ", apicId.ToString(), " did not come online"));
                    return false;
                }
            }
            Log.Info("SMP", string.Concat("cpu", (PerCpu.Count - 1).ToString(), " online: APIC ID ", apicId.ToString()));
            return true;
        }

        private static bool WaitOnline(byte* block, ulong microseconds)
        {
            ulong end = Cpu.ReadTimestampCounter() + microseconds * Clock.TscHz / 1_000_000;
            while (Cpu.ReadTimestampCounter() < end)
            {
                if (IsOnline(block))
                    return true;
                Cpu.Pause();
            }
            return IsOnline(block);
        }

        // An atomic read: the AP writes the flag from another CPU.
        private static bool IsOnline(byte* block) => Interlocked.CompareExchange(ref *(int*)(block + OnlineFlag), 0, 0) != 0;

        // A startup block: the GDT pointer, a copy of the bootstrap CPU's GDT whose TSS descriptor names this
        // block's TSS, the TSS with its own double-fault and NMI stacks (IST1, IST2: Idt.cs's assignment).
        private static byte* NewBlock()
        {
            ulong page = PhysicalMemory.AllocatePage();
            ulong ist1 = PhysicalMemory.AllocatePages(IstPages), ist2 = PhysicalMemory.AllocatePages(IstPages);
            if (page == 0 || ist1 == 0 || ist2 == 0)
                return null;
            byte* block = (byte*)DirectMap.Pointer(page);
            byte* current = stackalloc byte[10];
            StoreGdtPointer(current);
            ushort limit = *(ushort*)current;
            ulong gdtBase = *(ulong*)(current + 2);
            if (limit + 1 > TssAt - GdtAt)
                return null;
            byte* gdt = block + GdtAt;
            Cpu.CopyMemory(gdt, (void*)gdtBase, (ulong)limit + 1);
            byte* tss = block + TssAt;
            *(ulong*)(tss + 0x24) = DirectMap.ToVirtual(ist1) + IstPages * PhysicalMemory.PageSize;
            *(ulong*)(tss + 0x2C) = DirectMap.ToVirtual(ist2) + IstPages * PhysicalMemory.PageSize;
            *(ushort*)(tss + 0x66) = TssLength;   // no I/O permission bitmap
            ulong t = (ulong)tss;
            // A 64-bit available TSS descriptor (type 9, present), 16 bytes: base split over both halves.
            *(ulong*)(gdt + TssSelector) = (TssLength - 1) | (t & 0xFFFFFF) << 16 | 0x89UL << 40 | ((t >> 24) & 0xFF) << 56;
            *(ulong*)(gdt + TssSelector + 8) = t >> 32;
            *(ushort*)(block + GdtPointer) = limit;
            *(ulong*)(block + GdtPointer + 2) = (ulong)gdt;
            return block;
        }

        // The AP's first C#: on its own stack, with its GDT and TSS loaded (ap.asm). No allocation and no logging
        // here: the heap and the log still belong to cpu0's worlds.
        [UnmanagedCallersOnly(EntryPoint = "KApMain")]
        private static void ApMain(byte* block)
        {
            Idt.LoadOnThisCpu();
            PerCpu.InstallOnThisCpu(block + PerCpuAt);
            LocalApic.EnableOnThisCpu(true);
            PerCpu.Register(block + PerCpuAt, LocalApic.CurrentId);
            PerCpu.SetTss(block + PerCpuAt, (ulong)(block + TssAt));
            Interlocked.Exchange(ref *(int*)(block + OnlineFlag), 1);
            ApWork.ParkLoop();
        }
    }
}
