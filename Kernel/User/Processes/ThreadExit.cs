// ThreadExit.cs -- how threads and processes end. exit(2) ends the calling thread only while another thread of its
// process lives: its tid word (set_tid_address / CLONE_CHILD_CLEARTID) is cleared and futex-woken, which is what
// pthread_join waits for; the last thread's exit(2) is the process's exit. exit_group(2), a fatal signal and a CPU
// fault end every thread: the others are killed first, then the caller. The process itself ends -- files closed,
// address space freed, parent told -- when its last world is reaped (UserProgram's reap hook), since a thread that is
// switching out still runs on the shared space.
using Kernel.Worlds;

namespace Kernel.User
{
    public static unsafe class ThreadExit
    {
        /// <summary>exit(2).</summary>
        public static void ExitThread(UserProgram program, int status)
        {
            World self = Scheduler.Current;
            UserThread thread = program.Threads.Find(self);
            if (thread == null || !program.Threads.HasOthersAlive(self))
            {
                program.Exit(status);   // the last thread: the process exits (never returns)
                return;
            }
            thread.ExitedAlone = true;
            ClearTid(program, thread);
            Scheduler.Exit(status & 0xFF);
        }

        /// <summary>exit_group(2): every thread ends, and the process with the status.</summary>
        public static void ExitGroup(UserProgram program, int status)
        {
            program.Threads.KillAllButCurrent(-SignalActions.SigKill);
            program.Exit(status);
        }

        /// <summary>A fault or fatal signal in the running thread: the other threads die with it first.</summary>
        public static void KillOtherThreads(UserProgram program, int signal, bool processEnds = true)
        {
            if (program != null && program.Threads.HasOthersAlive(Scheduler.Current))
                program.Threads.KillAllButCurrent(-signal, processEnds);
        }

        // The tid word goes to 0 and one waiter wakes (Linux's mm_release); a bad address is ignored, as on Linux.
        private static void ClearTid(UserProgram program, UserThread thread)
        {
            ulong address = thread.ClearTidAddress;
            if (address == 0 || program.Space == null)
                return;
            int zero = 0;
            if (UserMemory.CopyOut(address, &zero, 4))
                FutexTable.Wake(program.Space, address, 1, 0xFFFFFFFF);
        }
    }
}
