// VdfCommand.cs -- `vdf [-h]`: VisorFS space as ESXi prints it: the tardisks (`Tardisk Space Used`), a `-----`
// line, then the ramdisks (`Ramdisk Size Used Available Use% Mounted on`); 1K blocks, or human sizes with -h.
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
            shell.WriteLine(string.Concat("Tardisk".PadRight(20), "Space".PadLeft(10), "Used".PadLeft(10)));
            for (int i = 0; i < Root.TardiskCount; i++)
            {
                Tardisk t = Root.TardiskAt(i);
                shell.WriteLine(string.Concat(t.Name.PadRight(20), Size(t.Length, human).PadLeft(10), Size(t.Length, human).PadLeft(10)));
            }
            shell.WriteLine("-----");
            shell.WriteLine(string.Concat("Ramdisk".PadRight(20), "Size".PadLeft(10), "Used".PadLeft(10), string.Concat(" Available", " Use%", " Mounted on")));
            for (int i = 0; i < Root.RamdiskCount; i++)
            {
                Ramdisk r = Root.RamdiskAt(i);
                long used = r.UsedBytes;
                long available = r.MaxBytes > used ? r.MaxBytes - used : 0;
                long percent = r.MaxBytes > 0 ? used * 100 / r.MaxBytes : 0;
                shell.WriteLine(string.Concat(string.Concat(r.Name.PadRight(20), Size(r.MaxBytes, human).PadLeft(10), Size(used, human).PadLeft(10)),
                    string.Concat(Size(available, human).PadLeft(10), string.Concat(percent.ToString(), "%").PadLeft(5), " --")));
            }
            return 0;
        }

        private static string Size(long bytes, bool human) => human ? SizeText.Human(bytes) : SizeText.Kilobytes(bytes);
    }
}
