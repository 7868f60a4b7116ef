// FsCommand.cs -- what the file commands share: the root file system, Unix-style error lines
// (`ls: /nope: No such file or directory`), option parsing and text output of file bytes.
using System;
using Kernel.VisorFs;

namespace Kernel.Shell
{
    internal abstract class FsCommand : ShellCommand
    {
        protected static VisorFsRoot Root => VisorFsRoot.Instance;

        public override int Run(Shell shell, string[] args)
        {
            if (Root == null)
            {
                shell.WriteError(string.Concat(Name, ": no file system"));
                return 1;
            }
            // A command may fail with an exception (out of memory), maybe inside a nested Enter/Exit: the lock must
            // not stay with it.
            int depth = FsLock.Depth;
            FsLock.Enter();
            try
            {
                return RunFs(shell, args);
            }
            finally
            {
                FsLock.ExitTo(depth);
            }
        }

        protected abstract int RunFs(Shell shell, string[] args);

        protected int Fail(Shell shell, string path, Errno error)
        {
            // Stopped by Ctrl-C: the shell has echoed ^C; like a process killed by SIGINT, say nothing more.
            if (error == Errno.EINTR)
                return Shell.InterruptedStatus;
            shell.WriteError(string.Concat(Name, ": ", string.Concat(path, ": ", ErrnoText.Describe(error))));
            return 1;
        }

        protected int Usage(Shell shell)
        {
            shell.WriteError(string.Concat("usage: ", Summary));
            return 1;
        }

        /// <summary>Collects single-letter flags from leading `-xyz` words; returns the index of the first operand, -1 on an unknown flag.</summary>
        protected static int ParseFlags(string[] args, string allowed, out string flags)
        {
            flags = "";
            int i = 1;
            for (; i < args.Length; i++)
            {
                string a = args[i];
                if (a == "--")
                    return i + 1;
                if (a.Length < 2 || a[0] != '-')
                    break;
                for (int k = 1; k < a.Length; k++)
                {
                    if (allowed.IndexOf(a[k]) < 0)
                        return -1;
                }
                flags = string.Concat(flags, a.Substring(1));
            }
            return i;
        }

        /// <summary>Writes file bytes as text (ASCII as is; other bytes as the console shows them).</summary>
        protected static void WriteBytes(Shell shell, ReadOnlySpan<byte> bytes)
        {
            for (int i = 0; i < bytes.Length; i++)
                shell.Write((char)bytes[i]);
        }
    }
}
