// Base64Command.cs -- `base64 FILE`: a file's bytes as base64 in 76-character lines (how a test or an operator on
// the serial console takes a binary such as state.tgz out of the host), streamed from the file in small chunks.
using Internal.Runtime;
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class Base64Command : FsCommand
    {
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        public override string Name => "base64";
        public override string Summary => "base64 FILE  print a file as base64";

        // The file is read through the open-file table 3,072 bytes at a time (a multiple of 3, so only the last
        // chunk can end in padding): the heap never holds the file, whatever its size.
        protected override unsafe int RunFs(Shell shell, string[] args)
        {
            if (args.Length != 2)
                return Usage(shell);
            Errno e = Root.Resolve(shell.WorkingDirectory, args[1], true, out FsNode node);
            if (e == Errno.Ok && node.IsDirectory)
                e = Errno.EISDIR;
            int fd = -1;
            if (e == Errno.Ok)
                e = Root.Files.Open(node, "base64", out fd);
            if (e != Errno.Ok)
                return Fail(shell, args[1], e);
            byte* buffer = stackalloc byte[ChunkBytes];
            var chunk = new System.Span<byte>(buffer, ChunkBytes);
            var line = new char[76];
            int used = 0;
            try
            {
                while (true)
                {
                    int n = Fill(fd, chunk);
                    if (n == 0)
                        break;
                    for (int i = 0; i < n; i += 3)
                    {
                        int b0 = chunk[i];
                        int b1 = i + 1 < n ? chunk[i + 1] : 0;
                        int b2 = i + 2 < n ? chunk[i + 2] : 0;
                        line[used++] = Alphabet[b0 >> 2];
                        line[used++] = Alphabet[((b0 & 3) << 4) | (b1 >> 4)];
                        line[used++] = i + 1 < n ? Alphabet[((b1 & 15) << 2) | (b2 >> 6)] : '=';
                        line[used++] = i + 2 < n ? Alphabet[b2 & 63] : '=';
                        if (used == 76)
                        {
                            Flush(shell, line, used);
                            used = 0;
                        }
                    }
                    if (n < ChunkBytes)
                        break;
                    if (shell.Interrupted())
                        return Shell.InterruptedStatus;
                }
                if (used > 0)
                    Flush(shell, line, used);
                return 0;
            }
            finally
            {
                Root.Files.Close(fd);
            }
        }

        private const int ChunkBytes = 3072;

        // Reads until the chunk is full or the file ends (a read may return less than asked).
        private static int Fill(int fd, System.Span<byte> chunk)
        {
            int total = 0, n;
            while (total < chunk.Length && (n = Root.Files.Read(fd, chunk.Slice(total))) > 0)
                total += n;
            return total;
        }

        private static void Flush(Shell shell, char[] line, int used)
        {
            for (int i = 0; i < used; i++)
                shell.Write(line[i]);
            shell.Write('\n');
        }
    }
}
