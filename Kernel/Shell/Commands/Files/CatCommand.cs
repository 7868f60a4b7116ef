// CatCommand.cs -- `cat FILE...`: reads each file through the open-file table (so an open tardisk file pins its
// tardisk) and prints it.
using System;
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class CatCommand : FsCommand
    {
        public override string Name => "cat";
        public override string Summary => "cat FILE...  print files";

        protected override unsafe int RunFs(Shell shell, string[] args)
        {
            if (args.Length < 2)
                return Usage(shell);
            int status = 0;
            byte* buffer = stackalloc byte[512];
            var chunk = new Span<byte>(buffer, 512);
            for (int i = 1; i < args.Length; i++)
            {
                int fd = -1;
                Errno e = Root.Resolve(shell.WorkingDirectory, args[i], true, out FsNode node);
                if (e == Errno.Ok)
                    e = Root.Files.Open(node, "cat", out fd);
                if (e != Errno.Ok)
                {
                    status = Fail(shell, args[i], e);
                    continue;
                }
                int n;
                bool interrupted = false;
                while (!interrupted && (n = Root.Files.Read(fd, chunk)) > 0)
                {
                    WriteBytes(shell, chunk.Slice(0, n));
                    interrupted = shell.Interrupted();
                }
                Root.Files.Close(fd);
                if (interrupted)
                    return Shell.InterruptedStatus;
            }
            return status;
        }
    }
}
