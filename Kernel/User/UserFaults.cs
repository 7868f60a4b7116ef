// UserFaults.cs -- a CPU exception in ring 3 ends that userworld only: a UserDump-style log line (what faulted,
// where, the registers that matter) and the world exits with 128 + the signal Linux would have sent, as a shell
// reports a killed process. The kernel and the other worlds go on.
using Kernel.Interrupts;
using Kernel.Logging;
using Kernel.Worlds;

namespace Kernel.User
{
    internal static unsafe class UserFaults
    {
        public const int SigIll = 4, SigTrap = 5, SigBus = 7, SigFpe = 8, SigSegv = 11;

        public static int SignalFor(int vector) => vector switch
        {
            0 or 16 or 19 => SigFpe,
            1 or 3 => SigTrap,
            6 => SigIll,
            17 => SigBus,
            _ => SigSegv,
        };

        public static void Handle(InterruptFrame* frame, int vector, ulong cr2)
        {
            World self = Scheduler.Current;
            string what = Exceptions.Name(vector);
            string detail = vector == Exceptions.PageFault
                ? string.Concat(" address 0x", cr2.ToString("x"), (frame->ErrorCode & 1) != 0 ? " (protection)" : " (not mapped)")
                : "";
            Log.Warning("UserDump", string.Concat(
                string.Concat("world ", self.Id.ToString(), " (", self.Name, ") cartel ", self.CartelId.ToString(), ": "),
                string.Concat(what, " at rip 0x", frame->Rip.ToString("x"), detail),
                string.Concat(" rsp 0x", frame->Rsp.ToString("x"), " error 0x", frame->ErrorCode.ToString("x"), "; world killed")));
            // The signal a fault raises is fatal to the process, not only to the faulting thread.
            ThreadExit.KillOtherThreads(self.UserState as UserProgram, SignalFor(vector));
            Scheduler.Exit(128 + SignalFor(vector));
        }
    }
}
