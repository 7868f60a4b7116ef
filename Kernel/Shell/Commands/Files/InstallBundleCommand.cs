// InstallBundleCommand.cs -- `install-bundle FILE`: ESXi's live install of a bundle (what `esxcli software vib
// install` does for a VIB): mounted now as a tardisk, and written into the alternate boot bank so the next boot
// includes it while the booted bank stays the rollback (Kernel/Storage/BankUpdate.cs).
using Kernel.Storage;

namespace Kernel.Shell.Commands
{
    internal sealed class InstallBundleCommand : FsCommand
    {
        public override string Name => "install-bundle";
        public override string Summary => "mount a bundle now and install it into /altbootbank for the next boot";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (args.Length != 2)
                return Usage(shell);
            string refused = BankUpdate.Install(Root, shell.WorkingDirectory, args[1]);
            if (refused != null)
            {
                shell.WriteLine(string.Concat("install-bundle: ", args[1], ": ", refused));
                return 1;
            }
            shell.WriteLine(string.Concat("Installed ", args[1], ": mounted now; the next boot starts it from /altbootbank (the current bank is the rollback)"));
            return 0;
        }
    }
}
