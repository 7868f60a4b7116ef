// BootBankLink.cs -- /bootbank on the boot device. When a FAT volume labelled BOOTBANK1 is mounted, /bootbank becomes a
// symlink to it (ESXi's /bootbank points into /vmfs/volumes the same way; BOOTBANK2 becomes /altbootbank), so
// backup.sh, cron's auto-backup and the shutdown step write state.tgz onto the disk, and this boot restores the copy
// found there. Until the disk image and its boot.cfg bank selection exist, the label is how the kernel knows its
// bank; without such a volume /bootbank stays a ramdisk directory and state.tgz lives in memory (and comes back only
// through a state.tgz boot module).
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
        public const string Label = "BOOTBANK1", AltLabel = "BOOTBANK2";
        private const string BankPath = "/bootbank", AltBankPath = "/altbootbank";
        private const long MaxStateBytes = 64L << 20;

        public static void Attach(VisorFsRoot root)
        {
            if (root == null)
                return;
            // The other bank, as ESXi shows it: /altbootbank (what an update writes; a rollback boots it).
            Link(root, AltLabel, AltBankPath);
            string volume = Link(root, Label, BankPath);
            if (volume == null || StickyState.RestoredFromModule)
                return;
            if (TryRestore(root, StickyState.BackupPath) || TryRestore(root, StickyState.PendingBackupPath))
                return;
            Log.Info("Storage", string.Concat("no state.tgz on ", volume, ": the configuration is the image's"));
        }

        // Links `path` to the volume labelled `label`; returns the volume's path, or null when there is no such volume
        // or the link could not be made.
        private static string Link(VisorFsRoot root, string label, string path)
        {
            string volume = string.Concat("/vmfs/volumes/", label);
            if (root.Resolve("/", volume, true, out FsNode bank) != Errno.Ok || !bank.IsDirectory)
                return null;
            // The image brings an empty /bootbank directory (state.tgz's place when there is no disk): it gives way to
            // the link. Anything else there is left alone.
            if (root.Resolve("/", path, false, out FsNode existing) == Errno.Ok
                && (!existing.IsDirectory || root.Rmdir("/", path) != Errno.Ok))
            {
                Log.Warning("Storage", string.Concat(path, " exists and is not an empty directory: not linked to ", volume));
                return null;
            }
            Errno linked = root.Symlink("/", volume, path);
            if (linked != Errno.Ok)
            {
                Log.Warning("Storage", string.Concat("cannot link ", path, " to ", volume, ": ", ErrnoText.Describe(linked)));
                return null;
            }
            Log.Info("Storage", string.Concat(path, " -> ", volume));
            return volume;
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
