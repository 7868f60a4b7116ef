// DfCommand.cs -- `df [-h]`: the mounted volumes as ESXi's df prints them (`Filesystem Size Used Available Use%
// Mounted on`, one `vfat` line per FAT volume at /vmfs/volumes/UUID); 1K blocks, or human sizes with -h. VisorFS's
// own ramdisks and tardisks are vdf's.
using Kernel.Text;
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class DfCommand : FsCommand
    {
        public override string Name => "df";
        public override string Summary => "df [-h]  mounted volumes (/vmfs/volumes)";

        protected override int RunFs(Shell shell, string[] args)
        {
            int first = ParseFlags(args, "h", out string flags);
            if (first < 0 || first != args.Length)
                return Usage(shell);
            bool human = flags.Length > 0;
            var line = new LineBuilder();
            Columns.Text(ref line, "Filesystem", 10);
            Columns.Text(ref line, human ? "Size" : "1K-blocks", 10, true);
            Columns.Text(ref line, "Used", 10, true);
            line.Append(" Available Use% Mounted on");
            Columns.WriteLine(shell, ref line);
            for (int i = 0; i < Root.VolumeCount; i++)
            {
                MountedVolume v = Root.VolumeAt(i);
                long size = (long)v.TotalBytes, free = (long)v.FreeBytes;
                long used = size - free;
                Columns.Text(ref line, v.Type, 10);
                Size(ref line, size, human);
                Size(ref line, used, human);
                Size(ref line, free, human);
                Columns.Number(ref line, size > 0 ? used * 100 / size : 0, 4);
                line.Append("% ");
                line.Append(v.MountPath);
                Columns.WriteLine(shell, ref line);
            }
            return 0;
        }

        private static void Size(ref LineBuilder line, long bytes, bool human)
        {
            if (human)
                SizeText.AppendHuman(ref line, bytes, 10);
            else
                Columns.Number(ref line, bytes / 1024, 10);
        }
    }
}
