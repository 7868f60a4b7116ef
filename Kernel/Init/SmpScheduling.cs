// SmpScheduling.cs -- turns the parked application processors into CPUs that run worlds (issue 13, docs/Smp.md):
// installs the reschedule and stop IPIs, connects the collector's stop-the-world to them, and gives every AP its
// start-up work (syscall MSRs, its local APIC tick, then its idle world). Here, in the boot layer, because it joins
// the scheduler (Kernel.Core), the APIC driver and the userworld CPU set-up.
using Drivers.Apic;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Time;
using Kernel.Worlds;

namespace Kernel.Init
{
    internal static unsafe class SmpScheduling
    {
        private const uint FixedAssert = 1u << 14;   // ICR: fixed delivery, level assert

        public static void Start(bool enabled)
        {
            if (PerCpu.Count <= 1 || !ApWork.CanPost)
                return;
            if (!enabled)
            {
                Log.Info("SMP", string.Concat(PerCpu.Count.ToString(), " CPUs: the application processors stay parked (smp=park): worlds run on cpu0"));
                return;
            }
            InterruptDispatch.SetHandler(Scheduler.RescheduleVector, &OnReschedule, "reschedule IPI");
            InterruptDispatch.SetHandler(WorldStop.StopVector, &OnStop, "stop IPI (collector)");
            InterruptDispatch.SetHandler(TlbShootdown.ShootdownVector, &OnShootdown, "TLB shootdown IPI");
            WorldStop.Install(&Scheduler.OtherOnlineCpus, &SendStopToOthers, &Scheduler.RecordParkedStack);
            TlbShootdown.Install(&SendShootdown, &Scheduler.RunsWorlds);
            // A CPU waiting for a KernelLock with interrupts off still answers shootdowns and the collector's stop.
            LockSpin.SetPoll(&TlbShootdown.Poll);
            Scheduler.StartOtherCpus(&Join, &SendReschedule);
            // Wait (briefly) for every AP to enter, so the log says what is true.
            ulong end = Cpu.ReadTimestampCounter() + Clock.TscHz / 2;
            while (Scheduler.OnlineCpus < PerCpu.Count && Cpu.ReadTimestampCounter() < end)
                Cpu.Pause();
            // CPU reservations and limits are percent of one CPU: the capacity is every CPU that runs worlds.
            Resources.ResourceGroupTree.CpuCapacityPercent = Scheduler.OnlineCpus * 100;
            Log.Info("SMP", string.Concat("Worlds run on ", Scheduler.OnlineCpus.ToString(), " of ", PerCpu.Count.ToString(), " CPUs"));
        }

        // An AP's start-up work (ApWork, interrupts off, on its start-up stack). Never returns.
        private static void Join(ulong cpu)
        {
            User.UserCpuSetup.InitializeThisCpu();
            if (ApicTimer.CountsPerSecond != 0 && InterruptControllers.UsingApic)
                ApicTimer.StartPeriodic(Clock.TickHz);
            Scheduler.EnterOnThisCpu();
        }

        // The interrupt's exit hook does the switch (Scheduler.OnInterruptExit).
        private static void OnReschedule(InterruptFrame* frame)
        {
        }

        private static void OnStop(InterruptFrame* frame) => WorldStop.OnStopInterrupt();

        private static void OnShootdown(InterruptFrame* frame) => TlbShootdown.OnInterrupt();

        private static void SendShootdown(int cpu) => LocalApic.SendIpi(PerCpu.ApicIdOf(cpu), FixedAssert | TlbShootdown.ShootdownVector);

        private static void SendReschedule(int cpu) => LocalApic.SendIpi(PerCpu.ApicIdOf(cpu), FixedAssert | Scheduler.RescheduleVector);

        private static void SendStopToOthers()
        {
            int me = ThisCpu.Index;
            for (int cpu = 0; cpu < PerCpu.Count; cpu++)
                if (cpu != me && Scheduler.RunsWorlds(cpu))
                    LocalApic.SendIpi(PerCpu.ApicIdOf(cpu), FixedAssert | WorldStop.StopVector);
        }
    }
}
