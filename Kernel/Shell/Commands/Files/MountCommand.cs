// MountCommand.cs -- `mount`: the visorfs mounts, ramdisks with ESXi's (min MB,max MB,mode,name) and tardisks.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class MountCommand : FsCommand
    {
        public override string Name => "mount";
        public override string Summary => "list visorfs mounts (ramdisks: min,max,mode,name)";

        protected override int RunFs(Shell shell, string[] args)
        {
            for (int i = 0; i < Root.RamdiskCount; i++)
            {
                Ramdisk r = Root.RamdiskAt(i);
                shell.WriteLine(string.Concat("visorfs on ", r.MountPath, string.Concat(" type visorfs ", VisorFsRoot.DescribeLimits(r))));
            }
            for (int i = 0; i < Root.TardiskCount; i++)
            {
                Tardisk t = Root.TardiskAt(i);
                shell.WriteLine(string.Concat("tardisk ", t.Name, string.Concat(" on /tardisks/", t.Name, " type visorfs (ro)")));
            }
            return 0;
        }
    }
}
