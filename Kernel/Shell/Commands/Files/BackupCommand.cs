// BackupCommand.cs -- `backup.sh`: saves every modified sticky file (those with a `.#name` marker) into
// /bootbank/state.tgz (local.tgz inside), as ESXi's /sbin/backup.sh does.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal class BackupCommand : FsCommand
    {
        public override string Name => "backup.sh";
        public override string Summary => "save modified sticky files to /bootbank/state.tgz";

        protected override int RunFs(Shell shell, string[] args) => SaveState(shell);

        protected int SaveState(Shell shell)
        {
            int saved = StickyState.Backup(Root, out Errno error);
            if (saved < 0)
                return Fail(shell, StickyState.BackupPath, error);
            shell.WriteLine(string.Concat("Saving current state in /bootbank: ", saved.ToString(), " files"));
            return 0;
        }
    }
}
