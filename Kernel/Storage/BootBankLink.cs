// BootBankLink.cs -- /bootbank on the boot device. When a FAT volume labelled BOOTBANK1 is mounted, /bootbank becomes a
// symlink to it (ESXi's /bootbank points into /vmfs/volumes the same way), so backup.sh, cron's auto-backup and the
// shutdown step write state.tgz onto the disk, and this boot restores the copy found there. Until the disk image and
// its boot.cfg bank selection exist, the label is how the kernel knows its bank; without such a volume /bootbank
// stays a ramdisk directory and state.tgz lives in memory (and comes back only through a state.tgz boot module).
//
// Precedence: a state.tgz boot module (a loader's last module, the harness's --state) was restored already and wins.
// Otherwise state.tgz on the volume, or state.tgz.new when a power cut came between writing the new copy and putting
// it in place (StickyState.Backup). A damaged file is logged and skipped by StickyState.Restore; the boot goes on.
using Kernel.Logging;
using Kernel.VisorFs;

namespace Kernel.Storage
{
    public static class BootBankLink
    {
        public const string Label = "BOOTBANK1";
        private const string BankPath = "/bootbank";
        private const long MaxStateBytes = 64L << 20;

        public static void Attach(VisorFsRoot root)
        {
            if (root == null)
                return;
            string volume = string.Concat("/vmfs/volumes/", Label);
            if (root.Resolve("/", volume, true, out FsNode bank) != Errno.Ok || !bank.IsDirectory)
                return;
            // The image brings an empty /bootbank directory (state.tgz's place when there is no disk): it gives way to
            // the link. Anything else there is left alone.
            if (root.Resolve("/", BankPath, false, out FsNode existing) == Errno.Ok
                && (!existing.IsDirectory || root.Rmdir("/", BankPath) != Errno.Ok))
            {
                Log.Warning("Storage", string.Concat(BankPath, " exists and is not an empty directory: not linked to ", volume));
                return;
            }
            Errno linked = root.Symlink("/", volume, BankPath);
            if (linked != Errno.Ok)
            {
                Log.Warning("Storage", string.Concat("cannot link ", BankPath, " to ", volume, ": ", ErrnoText.Describe(linked)));
                return;
            }
            Log.Info("Storage", string.Concat(BankPath, " -> ", volume));
            if (StickyState.RestoredFromModule)
                return;
            if (TryRestore(root, StickyState.BackupPath) || TryRestore(root, StickyState.PendingBackupPath))
                return;
            Log.Info("Storage", string.Concat("no state.tgz on ", volume, ": the configuration is the image's"));
        }

        private static bool TryRestore(VisorFsRoot root, string path)
        {
            Errno read = root.ReadAll("/", path, MaxStateBytes, out byte[] image);
            if (read == Errno.ENOENT)
                return false;
            if (read != Errno.Ok)
            {
                Log.Warning("Storage", string.Concat("cannot read ", path, ": ", ErrnoText.Describe(read)));
                return false;
            }
            Log.Info("Storage", string.Concat("restoring the configuration from ", path));
            StickyState.Restore(root, image);
            return true;
        }
    }
}
