// BankFiles.cs -- the text of a boot bank's two descriptions, rewritten: boot.cfg (ESXi's, read by the kernel and
// the tools) and boot.grub (the same facts as a GRUB script, build/ImageBuilder/Disk/BankGrubScript.cs, which the
// ESP's grub.cfg sources to choose a bank). Both change together: bootstate= and updated= when a boot is confirmed
// or a bank is written by an install, and one more module when an install adds a bundle.
//
// boot.cfg goes through VisorFs's BootConfig parser and BootConfigWriter, so what is written always parses back.
// boot.grub is edited line by line in the generator's layout: `vmk_bootstate=N`, `vmk_updated=N`, and one
// `    module2 --nounzip $1/NAME NAME` per module inside `function vmk_load { ... }`. A module name must be a plain
// file name GRUB needs no quoting for ([A-Za-z0-9._-], 1-64 characters), which every ESXi bundle name is.
//
// Also the live install's admission rule (ESXi's warning: installing on an overcommitted host can fail it):
// the bundle is held in memory three times at worst (the copy on a ramdisk, its inflated tardisk, a write
// buffer), plus a reserve the host keeps.
//
// Pure logic: host-tested in tests/Kernel.Tests/Storage/BankFilesTests.cs.
using VisorFs;

namespace Kernel.Storage
{
    public static class BankFiles
    {
        public const string ConfigName = "boot.cfg", GrubName = "boot.grub";
        public const long InstallReserveBytes = 32L << 20;

        /// <summary>
        /// boot.cfg and boot.grub with <paramref name="state"/> and <paramref name="updated"/> and, unless null,
        /// <paramref name="addModule"/> appended to the module list. False with the reason when either text is not
        /// what the image tool writes or the module name is unfit.
        /// </summary>
        public static bool TryRewrite(string config, string grub, BootState state, int updated, string addModule,
            out string newConfig, out string newGrub, out string error)
        {
            newConfig = null;
            newGrub = null;
            if (addModule != null && !IsPlainName(addModule))
            {
                error = string.Concat("'", addModule, "' is not a plain file name ([A-Za-z0-9._-], at most 64 characters)");
                return false;
            }
            if (!BootConfig.TryParse(config, out BootConfig parsed, out error))
            {
                error = string.Concat("boot.cfg: ", error);
                return false;
            }
            var writer = BootConfigWriter.From(parsed);
            writer.BootState = state;
            writer.Updated = updated;
            if (addModule != null)
            {
                for (int i = 0; i < writer.Modules.Count; i++)
                {
                    if (FileName(writer.Modules[i].Path) == addModule)
                    {
                        error = string.Concat(addModule, " is already in the bank's module list");
                        return false;
                    }
                }
                var module = new BootModule();
                module.Path = addModule;
                module.Options = "";
                writer.Modules.Add(module);
            }
            if (!writer.TryWrite(out newConfig, out error))
                return false;

            string[] lines = Lines(grub);
            bool sawState = false, sawUpdated = false;
            int close = -1;
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("vmk_bootstate="))
                {
                    lines[i] = string.Concat("vmk_bootstate=", ((int)state).ToString());
                    sawState = true;
                }
                else if (lines[i].StartsWith("vmk_updated="))
                {
                    lines[i] = string.Concat("vmk_updated=", updated.ToString());
                    sawUpdated = true;
                }
                else if (lines[i] == "}")
                {
                    close = i;
                }
            }
            if (!sawState || !sawUpdated || close < 0)
            {
                error = "boot.grub: no vmk_bootstate=, vmk_updated= or end of vmk_load";
                newConfig = null;
                return false;
            }
            var text = new System.Text.StringBuilder();
            for (int i = 0; i < lines.Length; i++)
            {
                if (i == close && addModule != null)
                    text.Append(string.Concat("    module2 --nounzip $1/", addModule, " ", addModule, "\n"));
                text.Append(lines[i]);
                if (i < lines.Length - 1)
                    text.Append('\n');
            }
            newGrub = text.ToString();
            error = null;
            return true;
        }

        /// <summary>The state a bank's boot.cfg gets once a boot from it completed: an update in trial (DIRTY, or
        /// UPGRADING) is confirmed VALID; VALID stays; INVALID stays (booted on purpose, by the rollback entry).</summary>
        public static BootState Confirmed(BootState booted) =>
            booted == BootState.Dirty || booted == BootState.Upgrading ? BootState.Valid : booted;

        /// <summary>Whether the host can take a bundle of <paramref name="bundleBytes"/> now; else why not.</summary>
        public static bool CanInstall(long freeBytes, long bundleBytes, out long neededBytes)
        {
            neededBytes = 3 * bundleBytes + InstallReserveBytes;
            return bundleBytes >= 0 && freeBytes >= neededBytes;
        }

        public static bool IsPlainName(string name)
        {
            if (name == null || name.Length == 0 || name.Length > 64 || name == "." || name == "..")
                return false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'))
                    return false;
            }
            return true;
        }

        // The text's lines without their '\n' (a final '\n' leaves an empty last line, so joining gives it back).
        private static string[] Lines(string text)
        {
            var lines = new System.Collections.Generic.List<string>();
            int start = 0;
            while (true)
            {
                int end = text.IndexOf('\n', start);
                if (end < 0)
                {
                    lines.Add(text.Substring(start));
                    return lines.ToArray();
                }
                lines.Add(text.Substring(start, end - start));
                start = end + 1;
            }
        }

        private static string FileName(string path)
        {
            int slash = path.LastIndexOf('/');
            return slash < 0 ? path : path.Substring(slash + 1);
        }
    }
}
