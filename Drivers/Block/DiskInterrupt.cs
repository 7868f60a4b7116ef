// DiskInterrupt.cs -- how a disk driver learns that the device finished a request, and where that work runs.
//
// Each disk gets a device vector (VectorAllocator) delivered by MSI-X (or MSI) to the boot CPU's local APIC and a
// driver world `driver-vmhbaN` in host/system/drivers. The interrupt handler (top half) only signals that world;
// the world (bottom half, interrupts on, scheduled like any other world and charged to host/system/drivers) wakes
// the world that made the request, which sleeps on an event meanwhile: no CPU is spent while the disk works.
//
// Before the scheduler runs (the boot-time partition probe), when the caller cannot block (interrupts off, in an
// interrupt handler) and for a device that has neither MSI-X nor MSI, a request polls the device instead: that is the
// documented fallback. Either way the driver bounds the wait by a TSC deadline, so a device that stops answering
// fails its request with Timeout and never hangs a world.
//
// Drivers use it in one loop: `while (!DeviceSaysDone()) if (!interrupt.Wait(deadline)) return Timeout;`. A stale
// signal from an earlier request only costs one extra check, and a completion that arrives between the check and
// the wait leaves the event set, so it is never missed.
using Drivers.Apic;
using Drivers.Pci;
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Resources;
using Kernel.Sync;
using Kernel.Time;
using Kernel.Worlds;

namespace Drivers.Block
{
    public sealed unsafe class DiskInterrupt
    {
        private static readonly DiskInterrupt[] s_byVector = new DiskInterrupt[256];
        private static readonly System.Collections.Generic.List<DiskInterrupt> s_all = new System.Collections.Generic.List<DiskInterrupt>();

        private readonly Event _pending = new Event();   // top half -> driver world
        private readonly Event _done = new Event();      // driver world -> the requesting world
        private uint* _msixSlot;
        private bool _live;                              // the driver world runs and the vector is unmasked

        /// <summary>The device vector, or -1 when the device is polled.</summary>
        public int Vector { get; private set; } = -1;

        /// <summary>"MSI-X", "MSI" or "polled", for the boot log and `lspci`.</summary>
        public string Kind { get; private set; } = "polled";

        /// <summary>The disk's adapter name (vmhbaN), which names its driver world and its line in `interrupts`.</summary>
        public string Name { get; set; } = "disk";
        public World World { get; private set; }
        public ulong Interrupts { get; private set; }
        public ulong Sleeps { get; private set; }

        /// <summary>
        /// Gives the device <paramref name="name"/> a vector through MSI-X table entry <paramref name="msixEntry"/> (or
        /// MSI, when it has no MSI-X). The vector stays quiet until <see cref="StartAll"/> has its driver world
        /// running; until then, and for good when no vector could be had, requests poll.
        /// </summary>
        public static DiskInterrupt Setup(IPciConfigSpace config, PciFunction f, int msixEntry)
        {
            var irq = new DiskInterrupt();
            s_all.Add(irq);
            if (!InterruptControllers.UsingApic || (!f.HasMsiX && !f.HasMsi))
                return irq;
            int vector = VectorAllocator.Devices.Allocate(LocalApic.CurrentId);
            if (vector < 0)
                return irq;
            // The handler is installed by StartAll: until then a message (only MSI can send one) is dropped.
            s_byVector[vector] = irq;
            if (f.HasMsiX)
            {
                irq._msixSlot = MessageInterrupts.ProgramMsiX(config, f, msixEntry, vector, LocalApic.CurrentId);
                if (irq._msixSlot != null)
                {
                    irq.Vector = vector;
                    irq.Kind = "MSI-X";
                    return irq;
                }
            }
            // MSI cannot be masked per vector: an early message finds no driver world and is ignored.
            if (MessageInterrupts.EnableMsi(config, f, vector, LocalApic.CurrentId))
            {
                irq.Vector = vector;
                irq.Kind = "MSI";
                return irq;
            }
            s_byVector[vector] = null;
            VectorAllocator.Devices.Free(vector);
            return irq;
        }

        /// <summary>The device would not use the vector after all (e.g. virtio refused the MSI-X entry): poll.</summary>
        public void GiveUp()
        {
            if (Vector < 0)
                return;
            s_byVector[Vector] = null;
            VectorAllocator.Devices.Free(Vector);
            Vector = -1;
            Kind = "polled";
            _msixSlot = null;
        }

        /// <summary>"MSI-X vector 0x40" or "polled", for the driver's boot line.</summary>
        public string Describe() => Vector < 0 ? Kind : string.Concat(Kind, " vector 0x", ((ulong)Vector).ToString("X"));

        /// <summary>Once the scheduler runs: starts every disk's driver world and unmasks its vector.</summary>
        public static void StartAll()
        {
            Scheduler.Groups.AddPath("host/system/drivers", out ResourceGroup group);
            foreach (DiskInterrupt irq in s_all)
            {
                if (irq.Vector < 0 || irq.World != null)
                    continue;
                irq.World = Scheduler.Spawn(string.Concat("driver-", irq.Name), WorldType.System | WorldType.Driver | WorldType.Critical, group, &Loop, irq);
                if (irq.World == null)
                    continue;   // logged by Spawn; the disk keeps polling
                InterruptDispatch.SetHandler(irq.Vector, &OnInterrupt, irq.Name);
                irq._live = true;
                if (irq._msixSlot != null)
                    MessageInterrupts.UnmaskMsiX(irq._msixSlot);
            }
        }

        /// <summary>
        /// One step of a driver's completion loop: sleeps until the device interrupts (true) or, when the caller
        /// cannot sleep or the device is polled, pauses briefly (true). False once <paramref name="deadlineTsc"/> passed.
        /// </summary>
        public bool Wait(ulong deadlineTsc)
        {
            ulong now = Cpu.ReadTimestampCounter();
            if (now >= deadlineTsc)
                return false;
            if (!CanSleep())
            {
                Cpu.Pause();
                return true;
            }
            ulong ticks = (deadlineTsc - now) / Clock.TscPerTick + 1;
            Sleeps++;
            _done.Wait(ticks);
            return true;   // the caller checks the device again, and the deadline on its next call
        }

        /// <summary>Whether requests are completed by interrupt right now (else they poll).</summary>
        public bool UsesInterrupts => _live;

        private bool CanSleep() =>
            _live && Scheduler.IsRunning && Scheduler.Current != null && (Cpu.ReadFlags() & InterruptEnableFlag) != 0
            && !InterruptDispatch.InDeviceHandler && Scheduler.Current != Scheduler.IdleWorld;

        private const ulong InterruptEnableFlag = 1ul << 9;

        private static void OnInterrupt(InterruptFrame* frame)
        {
            DiskInterrupt irq = s_byVector[(int)frame->Vector & 0xFF];
            if (irq == null)
                return;
            irq.Interrupts++;
            if (irq._live)
                irq._pending.Set();
        }

        private static void Loop(object argument)
        {
            var irq = (DiskInterrupt)argument;
            while (true)
            {
                irq._pending.Wait();
                irq._done.Set();
            }
        }
    }
}
