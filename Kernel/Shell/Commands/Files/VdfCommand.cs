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
            bool human = flags.Length > 0;
            var line = new LineBuilder();
            Columns.Text(ref line, "Tardisk", 20);
            Columns.Text(ref line, "Space", 10, true);
            Columns.Text(ref line, "Used", 10, true);
            Columns.WriteLine(shell, ref line);
            for (int i = 0; i < Root.TardiskCount; i++)
            {
                Tardisk t = Root.TardiskAt(i);
                Columns.Text(ref line, t.Name, 20);
                Size(ref line, t.Length, human);
                Size(ref line, t.Length, human);
                Columns.WriteLine(shell, ref line);
            }
            shell.WriteLine("-----");
            Columns.Text(ref line, "Ramdisk", 20);
            Columns.Text(ref line, "Size", 10, true);
            Columns.Text(ref line, "Used", 10, true);
            line.Append(" Available Use% Mounted on");
            Columns.WriteLine(shell, ref line);
            for (int i = 0; i < Root.RamdiskCount; i++)
            {
                Ramdisk r = Root.RamdiskAt(i);
                long used = r.UsedBytes;
                long available = r.MaxBytes > used ? r.MaxBytes - used : 0;
                long percent = r.MaxBytes > 0 ? used * 100 / r.MaxBytes : 0;
                Columns.Text(ref line, r.Name, 20);
                Size(ref line, r.MaxBytes, human);
                Size(ref line, used, human);
                Size(ref line, available, human);
                Columns.Number(ref line, percent, 4);
                line.Append("% --");
                Columns.WriteLine(shell, ref line);
            }
            if (Root.VolumeCount > 0)
                ListVolumes(shell, human);
            return 0;
        }

        private void ListVolumes(Shell shell, bool human)
        {
            var line = new LineBuilder();
            shell.WriteLine("-----");
            Columns.Text(ref line, "Volume", 20);
            Columns.Text(ref line, "Size", 10, true);
            Columns.Text(ref line, "Used", 10, true);
            line.Append(" Available Use% Mounted on");
            Columns.WriteLine(shell, ref line);
            for (int i = 0; i < Root.VolumeCount; i++)
            {
                MountedVolume v = Root.VolumeAt(i);
                long size = (long)v.TotalBytes, free = (long)v.FreeBytes;
                long used = size > free ? size - free : 0;
                Columns.Text(ref line, v.Label.Length > 0 ? v.Label : v.Uuid, 20);
                Size(ref line, size, human);
                Size(ref line, used, human);
                Size(ref line, free, human);
                Columns.Number(ref line, size > 0 ? used * 100 / size : 0, 4);
                line.Append("% ");
                line.Append(v.MountPath);
                Columns.WriteLine(shell, ref line);
            }
        }

        private static void Size(ref LineBuilder line, long bytes, bool human)
        {
            if (human)
                SizeText.AppendHuman(ref line, bytes, 10);
            else
                Columns.Number(ref line, (bytes + 1023) / 1024, 10);
        }
    }
}
