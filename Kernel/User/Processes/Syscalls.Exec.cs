// Syscalls.Exec.cs -- execve: the process keeps its pid, parent, children, files (but those marked close-on-exec)
// and working directory, and gets a new image. Everything that can fail (reading the file, the ELF loader, the new
// stack) happens in a new address space first, so a failed execve returns -errno to the old image untouched; only
// then is the old space dropped and the new one entered. A `#!` script runs its interpreter (one optional argument).
using System.Collections.Generic;
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.VisorFs;
using Kernel.Worlds;

namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int MaxExecStrings = 4096;
        private const long MaxProgramBytes = 64L << 20;
        private const long ENOEXEC = 8, E2BIG = 7;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_enter_user")]
        private static extern void EnterUserMode(ulong rip, ulong rsp, ulong arg0);

        private static long DoExecve(UserProgram program, int dirfd, ulong pathAddress, ulong argvAddress, ulong envpAddress)
        {
            long e = PathArgument(program, dirfd, pathAddress, out string cwd, out string path);
            if (e != 0)
                return e;
            e = CopyInStrings(argvAddress, out string[] argv);
            if (e != 0)
                return e;
            e = CopyInStrings(envpAddress, out string[] envp);
            if (e != 0)
                return e;
            if (path.Length == 0)
                return -ENOENT;
            // /proc/self/exe (busybox re-executes itself by it) and /proc/PID/exe: the image's file in VisorFS.
            if (Proc.ProcFs.Lookup(FsPath.Absolute(cwd, path), true, out Proc.ProcNode proc))
            {
                if (proc.Kind == Proc.ProcKind.Missing)
                    return -ENOENT;
                if (proc.Kind != Proc.ProcKind.Link)
                    return -LinuxError.EACCES;
                path = proc.Target;
            }
            e = ReadExecutable(cwd, path, out byte[] file, out string canonical);
            if (e != 0)
                return e;
            if (file.Length > 2 && file[0] == '#' && file[1] == '!')
            {
                e = Interpreter(file, path, ref argv);
                if (e != 0)
                    return e;
                path = argv[0];
                e = ReadExecutable(cwd, path, out file, out canonical);
                if (e != 0)
                    return e;
            }
            World self = Scheduler.Current;
            UserAddressSpace space = UserAddressSpace.Create(self);
            if (space == null)
                return -ENOMEM;
            string error = ElfLoader.Load(space, file, out ElfImage image);
            if (error != null || !UserMemory.IsUserRange(image.Entry, 1))
            {
                space.Free();
                return -ENOEXEC;
            }
            space.BrkStart = space.BrkEnd = UserAddressSpace.PageCeiling(image.End);
            ulong rsp = InitialStack.Build(space, argv, envp, path, image);
            if (rsp == 0)
            {
                space.Free();
                return -ENOMEM;
            }
            // The point of no return. The other threads go first (Linux's de_thread): the new image has one.
            ThreadExit.KillOtherThreads(program, SignalActions.SigKill, processEnds: false);
            UserAddressSpace old = program.Space;
            program.Replace(path, argv, space);
            program.ExecutablePath = canonical;
            ulong flags = Arch.Cpu.SaveAndDisableInterrupts();
            self.AddressSpaceRoot = space.Root;
            Arch.Cpu.WriteCr3(space.Root);
            self.UserFsBase = 0;
            Arch.Cpu.WriteMsr(0xC0000100, 0);
            Arch.Cpu.RestoreInterrupts(flags);
            old?.Free();
            program.Files.CloseMarked();
            program.Signals.ResetForExec();
            program.Process.VforkRelease.Set();
            EnterUserMode(image.Entry, rsp, 0);
            return 0;
        }

        private static long ReadExecutable(string cwd, string path, out byte[] file, out string canonical)
        {
            file = null;
            canonical = null;
            FsLock.Enter();
            try
            {
                Errno r = VisorFsRoot.Instance.Resolve(cwd, path, true, out FsNode node);
                if (r != Errno.Ok)
                    return Fs(r);
                if (node.IsDirectory || node.Kind != FileKind.File)
                    return -LinuxError.EACCES;
                if ((node.Mode & 0x49) == 0)
                    return -LinuxError.EACCES;   // no x bit for anyone
                canonical = node.Path;
                r = VisorFsRoot.Instance.ReadAll("/", node.Path, MaxProgramBytes, out file);
                return r == Errno.Ok ? 0 : Fs(r);
            }
            finally
            {
                FsLock.Exit();
            }
        }

        // `#!INTERPRETER [ARG]`: argv becomes INTERPRETER [ARG] SCRIPT ARGS...
        private static long Interpreter(byte[] file, string script, ref string[] argv)
        {
            int end = 2;
            while (end < file.Length && end < 256 && file[end] != '\n')
                end++;
            var words = new List<string>();
            int i = 2;
            while (i < end)
            {
                while (i < end && (file[i] == ' ' || file[i] == '\t'))
                    i++;
                int start = i;
                while (i < end && file[i] != ' ' && file[i] != '\t')
                    i++;
                if (i > start)
                {
                    char[] chars = new char[i - start];
                    for (int c = 0; c < chars.Length; c++)
                        chars[c] = (char)file[start + c];
                    words.Add(new string(chars));
                }
                if (words.Count == 2)
                    break;
            }
            if (words.Count == 0)
                return -ENOEXEC;
            var result = new List<string>();
            for (int w = 0; w < words.Count; w++)
                result.Add(words[w]);
            result.Add(script);
            for (int a = 1; a < argv.Length; a++)
                result.Add(argv[a]);
            argv = result.ToArray();
            return 0;
        }

        // A NULL-terminated array of string pointers (argv, envp); a null array is empty.
        private static long CopyInStrings(ulong address, out string[] strings)
        {
            strings = new string[0];
            if (address == 0)
                return 0;
            var list = new List<string>();
            for (int i = 0; i < MaxExecStrings; i++)
            {
                ulong pointer;
                if (!UserMemory.CopyIn(&pointer, address + (ulong)i * 8, 8))
                    return -EFAULT;
                if (pointer == 0)
                {
                    strings = list.ToArray();
                    return 0;
                }
                long e = UserStrings.CopyIn(pointer, 131072, out string s);
                if (e != 0)
                    return e == -LinuxError.ENAMETOOLONG ? -E2BIG : e;
                list.Add(s);
            }
            return -E2BIG;
        }
    }
}
