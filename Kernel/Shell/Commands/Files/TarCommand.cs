// TarCommand.cs -- `tar -t[v][z]f FILE`: lists an archive (tar, visor-tar, gzip'd or not; gzip is also detected by
// magic) with the same index the tardisks use; rejected members are reported like the boot log does.
using Internal.Runtime;
using Kernel.VisorFs;
using VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class TarCommand : FsCommand
    {
        private const long MaxBytes = 64L << 20;

        public override string Name => "tar";
        public override string Summary => "tar -t[vz]f FILE  list an archive";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (args.Length != 3 || args[1].Length < 3 || args[1][0] != '-' || args[1].IndexOf('t') < 0 || args[1][args[1].Length - 1] != 'f')
                return Usage(shell);
            bool verbose = args[1].IndexOf('v') >= 0;
            Errno e = Root.ReadAll(shell.WorkingDirectory, args[2], MaxBytes, out byte[] data);
            if (e != Errno.Ok)
                return Fail(shell, args[2], e);
            byte[] archive = data;
            int length = data.Length;
            if (Gzip.IsGzip(data))
            {
                GzipStatus status = Gzip.DecompressToArray(data, (int)MaxBytes, out archive, out length);
                if (status != GzipStatus.Ok)
                {
                    shell.WriteError(string.Concat("tar: ", args[2], ": ", TardiskLoader.Describe(status)));
                    return 1;
                }
            }
            else if (args[1].IndexOf('z') >= 0)
            {
                shell.WriteError(string.Concat("tar: ", args[2], ": not in gzip format"));
                return 1;
            }
            var bytes = new System.ReadOnlySpan<byte>(archive, 0, length);
            TarIndex index = TarIndex.Build(bytes, Tardisk.PresizedMembers);
            for (int i = 1; i < index.Count; i++)
            {
                TarEntry entry = index[i];
                if (entry.IsImplicit)
                    continue;
                string name = entry.IsDirectory ? string.Concat(entry.Path, "/") : entry.Path;
                if (verbose)
                    name = string.Concat(FileMode.ToText(Tardisk.KindOf(entry), entry.Mode), " root/root ", string.Concat(entry.Size.ToString().PadLeft(9), " ", name));
                shell.WriteLine(name);
                if ((i & 63) == 63 && shell.Interrupted())
                    return Shell.InterruptedStatus;
            }
            for (int i = 0; i < index.Diagnostics.Count; i++)
                shell.WriteError(string.Concat("tar: rejected '", index.Diagnostics[i].EntryName, "': ", index.Diagnostics[i].Reason));
            return 0;
        }
    }
}
