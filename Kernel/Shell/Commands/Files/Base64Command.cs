// Base64Command.cs -- `base64 FILE`: a file's bytes as base64 in 76-character lines (how a test or an operator on
// the serial console takes a binary such as state.tgz out of the host).
using Internal.Runtime;
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class Base64Command : FsCommand
    {
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        private const long MaxBytes = 16L << 20;

        public override string Name => "base64";
        public override string Summary => "base64 FILE  print a file as base64";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (args.Length != 2)
                return Usage(shell);
            Errno e = Root.ReadAll(shell.WorkingDirectory, args[1], MaxBytes, out byte[] data);
            if (e != Errno.Ok)
                return Fail(shell, args[1], e);
            var line = new char[76];
            int used = 0;
            for (int i = 0; i < data.Length; i += 3)
            {
                int b0 = data[i];
                int b1 = i + 1 < data.Length ? data[i + 1] : 0;
                int b2 = i + 2 < data.Length ? data[i + 2] : 0;
                line[used++] = Alphabet[b0 >> 2];
                line[used++] = Alphabet[((b0 & 3) << 4) | (b1 >> 4)];
                line[used++] = i + 1 < data.Length ? Alphabet[((b1 & 15) << 2) | (b2 >> 6)] : '=';
                line[used++] = i + 2 < data.Length ? Alphabet[b2 & 63] : '=';
                if (used == 76)
                {
                    Flush(shell, line, used);
                    used = 0;
                }
            }
            if (used > 0)
                Flush(shell, line, used);
            return 0;
        }

        private static void Flush(Shell shell, char[] line, int used)
        {
            for (int i = 0; i < used; i++)
                shell.Write(line[i]);
            shell.Write('\n');
        }
    }
}
