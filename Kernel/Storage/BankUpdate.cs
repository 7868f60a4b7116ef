// BankUpdate.cs -- the kernel's writes to the boot banks' descriptions, as ESXi manages them:
//
// - ConfirmBoot, at the end of a boot: the booted bank's bootstate= goes from DIRTY (an update on trial: GRUB boots a
//   DIRTY bank like a VALID one) or UPGRADING to VALID (BankFiles.Confirmed). GRUB cannot write files, so the step an
//   ESXi loader does (DIRTY -> INVALID when the trial boot never confirmed) has no place here: an update that never
//   comes up is left DIRTY, and the operator rolls back with the menu's second entry.
// - Install, live: a bundle (a gzip'd visor-tar, from a volume or a ramdisk) is mounted now through /tardisks, and the
//   alternate bank becomes the booted bank plus that bundle: its files are copied over, the bundle beside them,
//   boot.cfg and boot.grub list it with updated= above both banks' and bootstate DIRTY, so the next boot starts it and
//   the booted bank stays the rollback. Refused when free memory is short (BankFiles.CanInstall).
//
// Every rewrite of a description goes through Replace: the new text is written as NAME.new, then renamed over NAME,
// so a power cut leaves the old file or the new one (and perhaps a stale NAME.new), never half a file. boot.grub is
// replaced before boot.cfg, and an install copies every module before either: until boot.grub names the new
// updated=, GRUB sees the alternate bank as it was.
using Kernel.Logging;
using Kernel.Memory;
using Kernel.VisorFs;
using VisorFs;

namespace Kernel.Storage
{
    public static class BankUpdate
    {
        public const string BankPath = "/bootbank", AltBankPath = "/altbootbank", TardisksPath = "/tardisks", StagingDir = "/tmp";
        private const long MaxDescriptionBytes = 64 * 1024, MaxBundleBytes = 1L << 30;

        /// <summary>End of boot: a trial bank that came up is confirmed (bootstate VALID). Quiet when nothing changes.</summary>
        public static void ConfirmBoot(VisorFsRoot root)
        {
            if (root == null || !IsVolume(root, BankPath))
                return;
            if (!Read(root, BankPath, out BootConfig config, out string cfg, out string grub, out string problem))
            {
                Log.Warning("Storage", string.Concat("cannot confirm the boot bank: ", problem));
                return;
            }
            BootState next = BankFiles.Confirmed(config.BootState);
            if (next == config.BootState)
                return;
            string error = Write(root, BankPath, cfg, grub, next, config.Updated, null);
            if (error != null)
            {
                Log.Warning("Storage", string.Concat("cannot confirm the boot bank: ", error));
                return;
            }
            Log.Info("Storage", string.Concat("/bootbank: bootstate ", ((int)config.BootState).ToString(), " -> ", ((int)next).ToString(),
                " (the update in ", BankPath, " is confirmed)"));
        }

        /// <summary>`install-bundle FILE`: mounts the bundle now and writes it into /altbootbank for the next boot.
        /// Returns null, or why it was refused (logged).</summary>
        public static string Install(VisorFsRoot root, string cwd, string path)
        {
            string name = path;
            int slash = name.LastIndexOf('/');
            if (slash >= 0)
                name = name.Substring(slash + 1);
            string refused = Prepare(root, cwd, path, name, out BootConfig booted, out BootConfig alt, out string cfg, out string grub);
            if (refused != null)
                return Refuse(name, refused);

            // /tardisks mounts a ramdisk or tardisk file; a bundle on a volume is staged in /tmp first.
            string staged = string.Concat(StagingDir, "/", name, ".install");
            Errno e = root.Copy(cwd, path, staged);
            if (e == Errno.Ok)
            {
                e = root.Copy("/", staged, string.Concat(TardisksPath, "/", name));
                root.Unlink("/", staged);
            }
            if (e != Errno.Ok)
                return Refuse(name, string.Concat("cannot mount it: ", ErrnoText.Describe(e)));
            Log.Info("Storage", string.Concat("install: ", name, " mounted as a tardisk"));

            // The alternate bank: the booted bank's files (modules, kernel, state), then the bundle.
            var entries = new System.Collections.Generic.List<DirEntry>();
            if (root.Resolve("/", BankPath, true, out FsNode bank) != Errno.Ok || root.ReadDirectory(bank, entries) != Errno.Ok)
                return Refuse(name, "cannot list /bootbank");
            for (int i = 0; i < entries.Count; i++)
            {
                string file = entries[i].Name;
                if (entries[i].Node.IsDirectory || file == BankFiles.ConfigName || file == BankFiles.GrubName || file.EndsWith(".new"))
                    continue;
                e = root.Copy("/", string.Concat(BankPath, "/", file), string.Concat(AltBankPath, "/", file));
                if (e != Errno.Ok)
                    return Refuse(name, string.Concat("cannot copy ", file, " to ", AltBankPath, ": ", ErrnoText.Describe(e)));
            }
            e = root.Copy(cwd, path, string.Concat(AltBankPath, "/", name));
            if (e != Errno.Ok)
                return Refuse(name, string.Concat("cannot write it to ", AltBankPath, ": ", ErrnoText.Describe(e)));
            int updated = (booted.Updated > alt.Updated ? booted.Updated : alt.Updated) + 1;
            string error = Write(root, AltBankPath, cfg, grub, BootState.Dirty, updated, name);
            if (error != null)
                return Refuse(name, error);
            Log.Info("Storage", string.Concat("install: ", name, " written to ", AltBankPath, " (updated=", updated.ToString(),
                ", bootstate 2): the next boot starts it, ", BankPath, " is the rollback"));
            return null;
        }

        // The checks before anything changes: two bank volumes, the bundle readable and a plain name not mounted yet,
        // the booted bank's descriptions readable (the new bank's are made from them), and the memory to take it.
        private static string Prepare(VisorFsRoot root, string cwd, string path, string name,
            out BootConfig booted, out BootConfig alt, out string cfg, out string grub)
        {
            booted = null;
            alt = null;
            cfg = null;
            grub = null;
            if (!IsVolume(root, BankPath) || !IsVolume(root, AltBankPath))
                return "no boot bank volumes (/bootbank and /altbootbank must be on the boot disk)";
            if (!BankFiles.IsPlainName(name))
                return "a bundle's name must be a plain file name ([A-Za-z0-9._-])";
            if (root.Resolve(cwd, path, true, out FsNode bundle) != Errno.Ok || bundle.IsDirectory)
                return "no such file";
            if (root.Resolve("/", string.Concat(TardisksPath, "/", name), false, out _) == Errno.Ok)
                return "a tardisk of that name is mounted already";
            if (!Read(root, BankPath, out booted, out cfg, out grub, out string problem))
                return problem;
            if (!Read(root, AltBankPath, out alt, out _, out _, out _))
                alt = booted;   // an empty or damaged alternate bank is simply overwritten
            long size = (long)bundle.Size;
            long free = (long)(PhysicalMemory.FreePageCount * PhysicalMemory.PageSize);
            if (!BankFiles.CanInstall(free, size, out long needed) || size > MaxBundleBytes)
                return string.Concat("insufficient memory: ", (needed >> 20).ToString(), " MB needed, ", (free >> 20).ToString(),
                    " MB free (the host is overcommitted)");
            return null;
        }

        private static string Refuse(string name, string why)
        {
            Log.Warning("Storage", string.Concat("install: ", name, " refused: ", why));
            return why;
        }

        private static bool IsVolume(VisorFsRoot root, string path) =>
            root.Resolve("/", path, true, out FsNode node) == Errno.Ok && node.IsDirectory && node.Volume != null;

        private static bool Read(VisorFsRoot root, string bankPath, out BootConfig config, out string cfg, out string grub, out string problem)
        {
            config = null;
            cfg = null;
            grub = null;
            if (!ReadText(root, string.Concat(bankPath, "/", BankFiles.ConfigName), out cfg, out problem)
                || !ReadText(root, string.Concat(bankPath, "/", BankFiles.GrubName), out grub, out problem))
                return false;
            if (!BootConfig.TryParse(cfg, out config, out string error))
            {
                problem = string.Concat(bankPath, "/boot.cfg: ", error);
                return false;
            }
            return true;
        }

        private static bool ReadText(VisorFsRoot root, string path, out string text, out string problem)
        {
            text = null;
            Errno e = root.ReadAll("/", path, MaxDescriptionBytes, out byte[] data);
            if (e != Errno.Ok)
            {
                problem = string.Concat("cannot read ", path, ": ", ErrnoText.Describe(e));
                return false;
            }
            var chars = new char[data.Length];
            for (int i = 0; i < data.Length; i++)
                chars[i] = (char)data[i];
            text = new string(chars);
            problem = null;
            return true;
        }

        // Both descriptions of the bank at bankPath, from the texts given: boot.grub first, then boot.cfg.
        private static string Write(VisorFsRoot root, string bankPath, string cfg, string grub, BootState state, int updated, string addModule)
        {
            if (!BankFiles.TryRewrite(cfg, grub, state, updated, addModule, out string newCfg, out string newGrub, out string error))
                return error;
            return Replace(root, string.Concat(bankPath, "/", BankFiles.GrubName), newGrub)
                ?? Replace(root, string.Concat(bankPath, "/", BankFiles.ConfigName), newCfg);
        }

        // NAME.new written whole, then renamed over NAME: a power cut leaves one complete copy.
        private static string Replace(VisorFsRoot root, string path, string text)
        {
            var bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
                bytes[i] = (byte)text[i];
            string pending = string.Concat(path, ".new");
            Errno e = root.WriteFile("/", pending, bytes, false);
            if (e == Errno.Ok)
                e = root.Rename("/", pending, path);
            if (e == Errno.EEXIST)
            {
                Errno removed = root.Unlink("/", path);
                e = removed == Errno.Ok ? root.Rename("/", pending, path) : removed;
            }
            return e == Errno.Ok ? null : string.Concat("cannot write ", path, ": ", ErrnoText.Describe(e));
        }
    }
}
