// UserProgram.cs -- one running userworld process (a cartel: one world per thread, ThreadList): its address space,
// brk and mmap state, and where its stdout/stderr go. Start creates the world; the world's first kernel code (Enter) builds the
// address space from the ELF file, the initial stack, and drops to ring 3. The reap hook frees the address space when the last thread is reaped.
using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Logging;
using Kernel.Resources;
using Kernel.Worlds;

namespace Kernel.User
{
    /// <summary>Where a program's fd 1 and 2 go (the shell's terminal or redirection).</summary>
    public interface IUserOutput
    {
        void Write(string text);
    }

    public sealed unsafe class UserProgram
    {
        public string Path { get; private set; }
        public string[] Arguments { get; private set; }
        public UserAddressSpace Space { get; private set; }
        public IUserOutput Output { get; private set; }
        public int ParentId { get; private set; }
        public FileTable Files { get; private set; }
        public string WorkingDirectory { get; set; } = "/";
        public int Umask { get; set; } = 0x12;   // 022
        public ProcessState Process { get; } = new ProcessState();
        /// <summary>The running image's absolute path: what /proc/self/exe names (busybox re-executes itself by it).</summary>
        public string ExecutablePath { get; set; }
        public SignalState Signals { get; set; } = new SignalState();
        /// <summary>The worlds running this image: one per thread (clone with CLONE_THREAD), the first one's id the pid.</summary>
        public ThreadList Threads { get; } = new ThreadList();
        private byte[] _file;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_enter_user")]
        private static extern void EnterUser(ulong rip, ulong rsp, ulong arg0);

        private static bool s_hooksInstalled;

        /// <summary>Creates the program's world (its file already read); null with the reason when it cannot start.</summary>
        public static World Start(string path, string[] arguments, byte[] file, IUserOutput output, ResourceGroup group, string workingDirectory, out string error)
        {
            InstallHooks();
            var program = new UserProgram { Path = path, Arguments = arguments, _file = file, Output = output, ParentId = Scheduler.Current.Id };
            program.WorkingDirectory = workingDirectory ?? "/";
            program.ExecutablePath = Kernel.VisorFs.FsPath.Absolute(program.WorkingDirectory, path);
            program.Files = StandardFiles(output);
            TerminalSettings.Reset();
            string name = path.Substring(path.LastIndexOf('/') + 1);
            World world = Scheduler.Create(name, WorldType.User, group, &Enter, program, out error);
            if (world == null)
                return null;
            world.UserState = program;
            program.Threads.Add(world);
            program.Process.Pid = program.Process.ProcessGroup = program.Process.Session = world.CartelId;
            Scheduler.Start(world);
            return world;
        }

        // fd 0, 1 and 2: one read-write terminal description, shared as a login shell's are.
        private static FileTable StandardFiles(IUserOutput output)
        {
            var table = new FileTable();
            var console = new ConsoleFile(output, UserFile.ReadWrite);
            table.Add(console, false);
            table.Add(console.Share(), false);
            table.Add(console.Share(), false);
            return table;
        }

        /// <summary>exit and exit_group: the files close here, in the program's own world (closing takes FsLock, which
        /// the reaper cannot), then the world ends.</summary>
        public void Exit(int status)
        {
            Process.ExitCalled = true;
            Process.WaitStatus = (status & 0xFF) << 8;
            Files?.CloseAll();
            Scheduler.Exit(status);
        }

        /// <summary>A copy for fork: the same files (shared descriptions), directory, umask, signal dispositions and
        /// arguments; its memory is copied by the child's world (ForkedProcess).</summary>
        public UserProgram ForkChild()
        {
            var child = new UserProgram { Path = Path, Arguments = Arguments, Output = Output, ParentId = Process.Pid };
            child.Files = Files.Clone();
            child.WorkingDirectory = WorkingDirectory;
            child.ExecutablePath = ExecutablePath;
            child.Umask = Umask;
            child.Signals = Signals.CopyForFork();
            child.Process.Parent = this;
            child.Process.ProcessGroup = Process.ProcessGroup;
            child.Process.Session = Process.Session;
            return child;
        }

        /// <summary>execve: the new image's name and arguments.</summary>
        public void Replace(string path, string[] arguments, UserAddressSpace space)
        {
            Path = path;
            Arguments = arguments;
            Space = space;
        }

        private static void InstallHooks()
        {
            if (s_hooksInstalled)
                return;
            s_hooksInstalled = true;
            Scheduler.SetReapHook(&Reap);
            Kernel.Interrupts.Exceptions.SetUserFaultHandler(&UserFaults.Handle);
        }

        // The world's body: load, then leave for ring 3 (never returns; the world ends in exit or a fault).
        private static void Enter(object argument)
        {
            var program = (UserProgram)argument;
            World self = Scheduler.Current;
            string error = program.Load(out ulong entry, out ulong rsp);
            program._file = null;
            if (error != null)
            {
                program.Output?.Write(string.Concat(program.Path, ": ", error, "\n"));
                Scheduler.Exit(126);
            }
            ulong flags = Arch.Cpu.SaveAndDisableInterrupts();
            self.AddressSpaceRoot = program.Space.Root;
            Arch.Cpu.WriteCr3(program.Space.Root);
            Arch.Cpu.RestoreInterrupts(flags);
            EnterUser(entry, rsp, 0);
        }

        private string Load(out ulong entry, out ulong rsp)
        {
            entry = rsp = 0;
            Space = UserAddressSpace.Create(Scheduler.Current);
            if (Space == null)
                return "out of memory";
            string error = ElfLoader.Load(Space, _file, out ElfImage image);
            if (error != null)
                return error;
            if (!UserMemory.IsUserRange(image.Entry, 1))
                return "entry point outside user memory";
            Space.BrkStart = Space.BrkEnd = UserAddressSpace.PageCeiling(image.End);
            rsp = InitialStack.Build(Space, Arguments, new[] { "PATH=/bin:/sbin", "HOME=/", "TERM=vt100" }, Path, image);
            if (rsp == 0)
                return "out of memory for the stack";
            entry = image.Entry;
            return null;
        }

        // On another world's stack, after the program's world died (exit, fault or kill): nothing loads its tables.
        private static void Reap(World world)
        {
            FutexTable.Forget(world);
            // A thread of a process that goes on: only the world goes. One that was killed (a signal, `kill WID`, the
            // memory policy) takes its process with it, as a fatal signal does on Linux.
            if (world.UserState is UserProgram owner && !owner.Threads.Remove(world, out UserThread thread))
            {
                if (owner.Space != null && owner.Space.Owner == world)
                    owner.Space.HandOver(owner.Threads.AnyWorld());
                if ((thread == null || !thread.ExitedAlone) && !owner.Threads.GroupExiting && owner.Threads.Killing == 0)
                    owner.Threads.KillAllButCurrent(world.ExitStatus);
                world.AddressSpaceRoot = 0;
                return;
            }
            // A program killed or faulted still has its files: their pins drop here, with interrupts off. Its parent
            // learns how it ended; its children are orphans now (nobody waits for them).
            if (world.UserState is UserProgram dead)
            {
                dead.Files?.CloseAll();
                ProcessState p = dead.Process;
                if (!p.ExitCalled)
                    p.WaitStatus = ProcessState.StatusFromWorld(world.ExitStatus);
                p.Ended = true;
                p.VforkRelease.Set();
                for (int i = 0; i < p.Children.Count; i++)
                    p.Children[i].Process.Parent = null;
                UserProgram parent = p.Parent;
                if (parent != null)
                {
                    ulong handler = parent.Signals.Handler[SignalActions.SigChld];
                    if (handler != SignalState.Default && handler != SignalState.Ignore)
                        parent.Signals.Pending |= 1UL << (SignalActions.SigChld - 1);
                    parent.Process.ChildChanged.Set();
                }
            }
            if (world.UserState is UserProgram program && program.Space != null)
            {
                world.AddressSpaceRoot = 0;
                program.Space.Free();
            }
        }
    }
}
