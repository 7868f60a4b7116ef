// VdfCommand.cs -- `vdf [-h]`: VisorFS space as ESXi prints it: the tardisks (`Tardisk Space Used`), a `-----`
// line, then the ramdisks (`Ramdisk Size Used Available Use% Mounted on`); 1K blocks, or human sizes with -h. When
// disk volumes are mounted (the boot banks, scratch), a third section lists them by label with their mount point.
using Kernel.Text;
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class VdfCommand : FsCommand
    {
        public override string Name => "vdf";
        public override string Summary => "vdf [-h]  tardisk and ramdisk space";

        protected override int RunFs(Shell shell, string[] args)
        {
            int first = ParseFlags(args, "h", out string flags);
            if (first < 0 || first != args.Length)
                return Usage(shell);
            var table = new SpaceTable(20, human: flags.Length > 0, roundUp: true);
            var line = new LineBuilder();
            Columns.Text(ref line, "Tardisk", 20);
            Columns.Text(ref line, "Space", 10, true);
            Columns.Text(ref line, "Used", 10, true);
            Columns.WriteLine(shell, ref line);
            for (int i = 0; i < Root.TardiskCount; i++)
            {
                Tardisk t = Root.TardiskAt(i);
                Columns.Text(ref line, t.Name, 20);
                table.Size(ref line, t.Length);
                table.Size(ref line, t.Length);
                Columns.WriteLine(shell, ref line);
            }
            shell.WriteLine("-----");
            table.Header(shell, "Ramdisk", "Size");
            for (int i = 0; i < Root.RamdiskCount; i++)
            {
                Ramdisk r = Root.RamdiskAt(i);
                long used = r.UsedBytes;
                table.Row(shell, r.Name, r.MaxBytes, used, r.MaxBytes > used ? r.MaxBytes - used : 0, "--");
            }
            if (Root.VolumeCount == 0)
                return 0;
            // The disk volumes (boot banks, scratch), by label.
            shell.WriteLine("-----");
            table.Header(shell, "Volume", "Size");
            for (int i = 0; i < Root.VolumeCount; i++)
            {
                MountedVolume v = Root.VolumeAt(i);
                long size = (long)v.TotalBytes, free = (long)v.FreeBytes;
                table.Row(shell, v.Label.Length > 0 ? v.Label : v.Uuid, size, size > free ? size - free : 0, free, v.MountPath);
            }
            return 0;
        }
    }
}
