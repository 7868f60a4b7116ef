// LocksCommand.cs -- `locks`: the kernel's spinlocks (how often each was taken and found held by another CPU)
// and the lock checks since boot: locks taken out of order (LockRank) and worlds switched out holding a spinlock
// other than the scheduler's. Both checks must stay at 0; the E2E tests read this.
using Internal.Runtime;
using Kernel.Resources;
using Kernel.Sync;

namespace Kernel.Shell.Commands
{
    internal sealed class LocksCommand : ShellCommand
    {
        public override string Name => "locks";
        public override string Summary => "spinlock use and the lock-order / held-while-blocking checks";

        public override int Run(Shell shell, string[] args)
        {
            shell.WriteLine("LOCK        ACQUIRED  CONTENDED");
            Row(shell, "scheduler", SchedulerLock.Acquisitions, SchedulerLock.Contended);
            Row(shell, "heap", Allocator.HeapLockAcquisitions, Allocator.HeapLockContended);
            Row(shell, "groups", GroupsLock.Acquisitions, GroupsLock.Contended);
            shell.WriteLine($"order violations: {LockChecks.OrderViolations}"
                + (LockChecks.OrderViolations == 0 ? "" : $" (last: rank {LockChecks.LastViolationTakenRank} taken holding rank {LockChecks.LastViolationHeldRank})"));
            shell.WriteLine($"held across a switch: {LockChecks.BlockedHolding}"
                + (LockChecks.BlockedHolding == 0 ? "" : $" (last rank mask 0x{LockChecks.LastBlockedHoldingMask:X})"));
            return 0;
        }

        private static void Row(Shell shell, string name, ulong acquired, ulong contended)
            => shell.WriteLine($"{name,-10}{acquired,10}{contended,11}");
    }
}
