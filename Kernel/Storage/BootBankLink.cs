// BootBankLink.cs -- /bootbank on the boot device. The bank this boot came from (BankChoice: GRUB's bootbank= option,
// else the label BOOTBANK1) becomes /bootbank, a symlink into /vmfs/volumes as ESXi has it, and the other bank
// /altbootbank; so backup.sh, cron's auto-backup and the shutdown step write state.tgz onto the booted bank, and this
// boot restores the copy found there. With no bank volume /bootbank stays a ramdisk directory and state.tgz lives in
// memory (and comes back only through a state.tgz boot module). With bootbank= the links name the volumes' UUID
// paths (two disks may both carry BOOTBANK labels); by label they name /vmfs/volumes/LABEL.
//
// Precedence: a state.tgz boot module (a loader's last module, the harness's --state) was restored already and wins.
// Otherwise state.tgz on the volume, or state.tgz.new when a power cut came between writing the new copy and putting
// it in place (StickyState.Backup). A damaged file is logged and skipped by StickyState.Restore; the boot goes on.
//
// /scratch: ESXi's persistent scratch location is a link to a volume on the boot device. A FAT volume labelled
// SCRATCH on the booted bank's disk (the disk image's fifth partition), else any SCRATCH volume, becomes /scratch.
using Kernel.Logging;
using Kernel.VisorFs;

namespace Kernel.Storage
{
    public static class BootBankLink
    {
        private const string BankPath = "/bootbank", AltBankPath = "/altbootbank", ScratchPath = "/scratch", ScratchLabel = "SCRATCH";
        private const long MaxStateBytes = 64L << 20;

        /// <param name="bootedSerial">the bootbank= option ("" or null when the loader gave none)</param>
        public static void Attach(VisorFsRoot root, string bootedSerial)
        {
            if (root == null)
                return;
            var candidates = new BankCandidate[root.VolumeCount];
            for (int i = 0; i < candidates.Length; i++)
            {
                MountedVolume v = root.VolumeAt(i);
                string device = v.Device ?? "";
                int colon = device.LastIndexOf(':');
                candidates[i] = new BankCandidate
                {
                    Label = v.Label,
                    Serial = v is FatMount fat ? fat.Fat.VolumeId : 0,
                    Disk = colon < 0 ? device : device.Substring(0, colon),
                };
            }
            bool serialGiven = bootedSerial != null && bootedSerial.Length > 0;
            uint serial = 0;
            if (serialGiven && !BankChoice.TryParseSerial(bootedSerial, out serial))
            {
                Log.Warning("Storage", string.Concat("bootbank=", bootedSerial, " is no FAT serial (XXXX-XXXX): choosing the banks by label"));
                serialGiven = false;
            }
            BankChoice.Choose(candidates, serialGiven, serial, out int bank, out int alt);
            if (serialGiven && bank < 0)
            {
                Log.Warning("Storage", string.Concat("bootbank=", bootedSerial, ": no BOOTBANK volume has that serial; choosing the banks by label"));
                serialGiven = false;
                BankChoice.Choose(candidates, false, 0, out bank, out alt);
            }
            if (serialGiven)
                Log.Info("Storage", string.Concat("booted from ", candidates[bank].Label, " (bootbank=", bootedSerial, ")"));
            // The other bank, as ESXi shows it: /altbootbank (what an update writes; a rollback boots it).
            if (alt >= 0)
                Link(root, VolumePath(root.VolumeAt(alt), serialGiven), AltBankPath);
            int scratch = FindScratch(candidates, bank < 0 ? null : candidates[bank].Disk);
            if (scratch >= 0)
                Link(root, VolumePath(root.VolumeAt(scratch), serialGiven), ScratchPath);
            string volume = bank < 0 ? null : Link(root, VolumePath(root.VolumeAt(bank), serialGiven), BankPath);
            if (volume == null || StickyState.RestoredFromModule)
                return;
            if (TryRestore(root, StickyState.BackupPath) || TryRestore(root, StickyState.PendingBackupPath))
                return;
            Log.Info("Storage", string.Concat("no state.tgz on ", volume, ": the configuration is the image's"));
        }

        // The SCRATCH volume on the booted disk, else the first one anywhere; -1 when there is none.
        private static int FindScratch(BankCandidate[] candidates, string bootDisk)
        {
            int any = -1;
            for (int i = 0; i < candidates.Length; i++)
            {
                if (candidates[i].Label != ScratchLabel)
                    continue;
                if (bootDisk != null && candidates[i].Disk == bootDisk)
                    return i;
                if (any < 0)
                    any = i;
            }
            return any;
        }

        private static string VolumePath(MountedVolume volume, bool byUuid) =>
            byUuid ? volume.MountPath : string.Concat(MountedVolume.VolumesPath, "/", volume.Label);

        // Links `path` to `volume`; returns the volume's path, or null when it is not a directory or the link could
        // not be made.
        private static string Link(VisorFsRoot root, string volume, string path)
        {
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
