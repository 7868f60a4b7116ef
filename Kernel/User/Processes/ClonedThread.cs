// ClonedThread.cs -- clone with CLONE_THREAD (what pthread_create passes: CLONE_VM|CLONE_FS|CLONE_FILES|
// CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID): a new world in
// the caller's cartel running the same UserProgram -- one address space, fd table, working directory and signal
// handlers -- with its own tid (its world id), TLS (FS base), kernel stack and registers. It starts at the system
// call's return with rax 0 on the stack the caller gave. The tid words are written before it runs, as Linux does
// (both lie in the shared space). Thread ends and the process's end are ThreadExit's job.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Worlds;

namespace Kernel.User
{
    public sealed unsafe class ClonedThread
    {
        public const ulong CloneVm = 0x100, CloneFs = 0x200, CloneFiles = 0x400, CloneSighand = 0x800, CloneThread = 0x10000,
            CloneSettls = 0x80000, CloneParentSettid = 0x100000, CloneChildCleartid = 0x200000, CloneChildSettid = 0x1000000;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_resume_user")]
        private static extern void ResumeUser(SyscallFrame* frame);

        private SyscallFrame _frame;

        /// <summary>The system call: the new thread's tid, or -errno.</summary>
        public static long Start(UserProgram program, SyscallFrame* frame, ulong flags, ulong newStack, ulong parentTid, ulong childTid, ulong tls)
        {
            // Linux's rules: a thread shares the signal handlers, which requires sharing the memory.
            const ulong required = CloneVm | CloneSighand;
            if ((flags & required) != required)
                return -LinuxError.EINVAL;
            if (program.Threads.GroupExiting)
                return -LinuxError.EAGAIN;
            World self = Scheduler.Current;
            var start = new ClonedThread { _frame = *frame };
            if (newStack != 0)
                start._frame.Rsp = newStack;
            World world = Scheduler.Create(self.Name, WorldType.User, self.Group, &Enter, start, out _);
            if (world == null)
                return -LinuxError.EAGAIN;
            world.CartelId = self.CartelId;
            world.UserState = program;
            world.AddressSpaceRoot = program.Space.Root;
            world.UserFsBase = (flags & CloneSettls) != 0 ? tls : self.UserFsBase;
            UserThread thread = program.Threads.Add(world);
            if ((flags & CloneChildCleartid) != 0)
                thread.ClearTidAddress = childTid;
            int tid = world.Id;
            if ((flags & CloneParentSettid) != 0)
                UserMemory.CopyOut(parentTid, &tid, 4);
            if ((flags & CloneChildSettid) != 0)
                UserMemory.CopyOut(childTid, &tid, 4);
            Scheduler.Start(world);
            return tid;
        }

        // The thread's world: straight to ring 3 (its address space and FS base were loaded by the switch to it).
        private static void Enter(object argument)
        {
            SyscallFrame frame = ((ClonedThread)argument)._frame;
            ResumeUser(&frame);
        }
    }
}
