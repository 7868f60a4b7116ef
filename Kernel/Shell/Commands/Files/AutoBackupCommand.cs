// AutoBackupCommand.cs -- `auto-backup.sh`: ESXi's hourly cron job (`1 * * * * /sbin/auto-backup.sh` in the root
// crontab) and shutdown step: runs backup.sh only when a sticky file changed since the last backup.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class AutoBackupCommand : BackupCommand
    {
        public override string Name => "auto-backup.sh";
        public override string Summary => "backup.sh, but only when a sticky file changed since the last backup";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (StickyState.ChangedSinceBackup(Root))
                return SaveState(shell);
            shell.WriteLine("auto-backup.sh: no changes since the last backup");
            return 0;
        }
    }
}
