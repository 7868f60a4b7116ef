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
            var table = new SpaceTable(10, human, roundUp: false);
            table.Header(shell, "Filesystem", human ? "Size" : "1K-blocks");
            for (int i = 0; i < Root.VolumeCount; i++)
            {
                MountedVolume v = Root.VolumeAt(i);
                long size = (long)v.TotalBytes, free = (long)v.FreeBytes;
                table.Row(shell, v.Type, size, size - free, free, v.MountPath);
            }
            return 0;
        }
    }
}
