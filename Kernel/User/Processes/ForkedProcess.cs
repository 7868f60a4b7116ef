// ForkedProcess.cs -- fork, vfork and clone for processes (CLONE_THREAD goes to ClonedThread): a child world whose program copies the parent's
// (UserProgram.ForkChild) and whose first kernel code copies the parent's memory (AddressSpaceCopy), then enters
// ring 3 with the parent's registers at the system call and rax 0. The parent waits for the copy (its memory must
// hold still), and with CLONE_VFORK until the child execs or exits. CLONE_VM without CLONE_THREAD or CLONE_VFORK (a
// second process on the same memory) is -EINVAL.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Sync;
using Kernel.Worlds;

namespace Kernel.User
{
    public sealed unsafe class ForkedProcess
    {
        private const ulong CloneVm = 0x100, CloneVfork = 0x4000, CloneThread = 0x10000, CloneParentSettid = 0x100000,
            CloneChildSettid = 0x1000000, CloneSettls = 0x80000;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_resume_user")]
        private static extern void ResumeUser(SyscallFrame* frame);

        private UserProgram _child;
        private UserAddressSpace _source;
        private SyscallFrame _frame;
        private ulong _childTidAddress;
        private readonly Event _copied = new Event(manualReset: true);
        private bool _copyFailed;

        /// <summary>The system call: the child's pid in the parent, or -errno.</summary>
        public static long Fork(UserProgram parent, SyscallFrame* frame, ulong flags, ulong newStack, ulong parentTid, ulong childTid, ulong tls)
        {
            if (parent == null || parent.Space == null)
                return -LinuxError.EINVAL;
            if ((flags & CloneThread) != 0)
                return ClonedThread.Start(parent, frame, flags, newStack, parentTid, childTid, tls);
            if ((flags & CloneVm) != 0 && (flags & CloneVfork) == 0)
                return -LinuxError.EINVAL;   // shared memory without a shared cartel: not supported
            UserProgram child = parent.ForkChild();
            var start = new ForkedProcess { _child = child, _source = parent.Space, _frame = *frame };
            if (newStack != 0)
                start._frame.Rsp = newStack;
            if ((flags & CloneChildSettid) != 0)
                start._childTidAddress = childTid;
            World self = Scheduler.Current;
            World world = Scheduler.Create(self.Name, WorldType.User, self.Group, &Enter, start, out string error);
            if (world == null)
            {
                child.Files.CloseAll();
                return -LinuxError.EAGAIN;
            }
            world.UserState = child;
            child.Threads.Add(world);
            world.UserFsBase = (flags & CloneSettls) != 0 ? tls : self.UserFsBase;
            child.Process.Pid = world.CartelId;
            parent.Process.Children.Add(child);
            Scheduler.Start(world);
            start._copied.Wait();
            if (start._copyFailed)
                return -LinuxError.ENOMEM;   // the child has ended; the parent reaps it like any child (wait4)
            if ((flags & CloneParentSettid) != 0)
            {
                int pid = child.Process.Pid;
                UserMemory.CopyOut(parentTid, &pid, 4);
            }
            if ((flags & CloneVfork) != 0)
                child.Process.VforkRelease.Wait();
            return child.Process.Pid;
        }

        // The child's world: copy, then ring 3.
        private static void Enter(object argument)
        {
            var start = (ForkedProcess)argument;
            UserProgram program = start._child;
            World self = Scheduler.Current;
            UserAddressSpace space = null;
            bool ok = false;
            try
            {
                space = UserAddressSpace.Create(self);
                ok = space != null && AddressSpaceCopy.Copy(start._source, space);
            }
            catch (System.OutOfMemoryException)
            {
                // The copy's own bookkeeping was refused by the group (its memory policy has run): fork fails, ENOMEM.
            }
            finally
            {
                if (space != null)
                    program.Replace(program.Path, program.Arguments, space);
                start._copyFailed = !ok;
                start._copied.Set();   // the parent waits for this whatever happened here
            }
            if (!ok)
                program.Exit(128 + SignalActions.SigKill);
            ulong flags = Arch.Cpu.SaveAndDisableInterrupts();
            self.AddressSpaceRoot = space.Root;
            Arch.Cpu.WriteCr3(space.Root);
            Arch.Cpu.RestoreInterrupts(flags);
            if (start._childTidAddress != 0)
            {
                int pid = program.Process.Pid;
                UserMemory.CopyOut(start._childTidAddress, &pid, 4);
            }
            SyscallFrame frame = start._frame;
            ResumeUser(&frame);
        }
    }
}
