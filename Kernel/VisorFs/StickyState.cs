// StickyState.cs -- persistent configuration as ESXi keeps it: sticky files that were modified carry a `.#name`
// marker; backup.sh packs every marked file into local.tgz inside state.tgz on the boot bank, and at boot the
// state.tgz module is extracted over `/` and the markers are made again.
using System;
using System.Collections.Generic;
using Internal.Runtime;
using Kernel.Logging;
using Kernel.Resources;
using VisorFs;

namespace Kernel.VisorFs
{
    public static unsafe class StickyState
    {
        public const string LocalArchive = "local.tgz";
        private const int MaxStateBytes = 64 << 20;

        /// <summary>The state.tgz boot module: restored, and remembered so the boot bank's copy is not applied over it.</summary>
        public static void RestoreModule(VisorFsRoot root, ulong address, long length)
        {
            RestoredFromModule = true;
            if (length <= 0 || length > int.MaxValue)
            {
                Log.Warning("VisorFs", "state.tgz: empty or too large, not restored");
                return;
            }
            Restore(root, new ReadOnlySpan<byte>((void*)address, (int)length));
        }

        /// <summary>A state.tgz module was given at boot (the harness's --state, or a loader's last module): it wins
        /// over the copy on the boot bank's volume.</summary>
        public static bool RestoredFromModule { get; private set; }

        /// <summary>Extracts local.tgz from a state.tgz image over `/`, recreating the markers. Logs and skips on damage.
        /// The image is a boot module or the file on the boot bank's volume.</summary>
        public static void Restore(VisorFsRoot root, ReadOnlySpan<byte> image)
        {
            if (image.Length == 0)
            {
                Log.Warning("VisorFs", "state.tgz: empty, not restored");
                return;
            }
            PageRun outer = Gunzip(root, image, out long outerLength, out string why);
            if (outer == null)
            {
                Log.Warning("VisorFs", string.Concat("state.tgz: ", why, "; configuration not restored"));
                return;
            }
            var outerBytes = new ReadOnlySpan<byte>(outer.Pointer, (int)outerLength);
            TarIndex outerIndex = TarIndex.Build(outerBytes, Tardisk.PresizedMembers);
            if (!outerIndex.TryFind(LocalArchive, out TarEntry local) || local.Type != TarEntryType.File)
            {
                Log.Warning("VisorFs", "state.tgz: no local.tgz inside; configuration not restored");
            }
            else
            {
                PageRun inner = Gunzip(root, TarIndex.GetData(outerBytes, local), out long innerLength, out why);
                if (inner == null)
                {
                    Log.Warning("VisorFs", string.Concat("state.tgz: local.tgz: ", why, "; configuration not restored"));
                }
                else
                {
                    int restored = Extract(root, new ReadOnlySpan<byte>(inner.Pointer, (int)innerLength));
                    Log.Info("VisorFs", string.Concat("state.tgz: restored ", restored.ToString(), " files"));
                    inner.Free();
                }
            }
            outer.Free();
        }

        public const string BackupPath = "/bootbank/state.tgz";
        public const string PendingBackupPath = "/bootbank/state.tgz.new";
        private static ulong s_changesAtLastBackup;

        /// <summary>True when a sticky file was written since the last backup (what auto-backup.sh checks).</summary>
        public static bool ChangedSinceBackup(VisorFsRoot root) => root.StickyChanges != s_changesAtLastBackup;
        private static Deflater s_deflater;

        /// <summary>The only tree state.tgz carries, as on ESXi: sticky configuration under /etc.</summary>
        public const string StateRoot = "/etc";

        /// <summary>
        /// backup.sh: every file under /etc with a `.#name` marker beside it, packed into local.tgz inside state.tgz (both
        /// gzip'd ustar, paths relative to `/`, modes with the sticky bit), written to /bootbank/state.tgz.
        /// Returns the number of files saved, or -1 with the errno.
        /// </summary>
        public static int Backup(VisorFsRoot root, out Errno error)
        {
            ulong changes = root.StickyChanges;
            var files = new List<VisorTarMember>();
            if (root.Resolve("/", StateRoot, true, out FsNode etc) == Errno.Ok && etc.Ram != null && etc.Ram.Kind == RamNodeKind.Directory)
                Collect(etc.Ram, "etc", files);
            byte[] localTar = Tar(files, out error);
            int count = files.Count;
            if (localTar == null)
                return -1;
            s_deflater ??= new Deflater();
            uint now = (uint)VisorFsRoot.Now;
            byte[] local = GzipWriter.Compress(s_deflater, localTar, now);
            var outer = new List<VisorTarMember>();
            outer.Add(new VisorTarMember(LocalArchive, 0x1A4, TarEntryType.File, local) { ModificationTime = now });
            byte[] stateTar = Tar(outer, out error);
            if (stateTar == null)
                return -1;
            byte[] state = GzipWriter.Compress(s_deflater, stateTar, now);
            if (root.Resolve("/", "/bootbank", true, out FsNode bank) != Errno.Ok)
                root.Mkdir("/", "/bootbank", 0x1ED);
            // Written beside the old copy, then put in its place: a power cut leaves the old state.tgz, or the new one
            // as state.tgz.new (which the next boot takes when state.tgz is missing), never half a file.
            error = root.WriteFile("/", PendingBackupPath, state, false);
            if (error == Errno.Ok)
            {
                Errno removed = root.Unlink("/", BackupPath);
                error = removed == Errno.Ok || removed == Errno.ENOENT ? root.Rename("/", PendingBackupPath, BackupPath) : removed;
            }
            if (error != Errno.Ok)
            {
                Log.Warning("VisorFs", string.Concat("backup.sh: cannot write ", BackupPath, ": ", ErrnoText.Describe(error)));
                return -1;
            }
            Log.Info("VisorFs", string.Concat("backup.sh: saved ", count.ToString(), " files to ", BackupPath));
            s_changesAtLastBackup = changes;
            return count;
        }

        private static byte[] Tar(List<VisorTarMember> members, out Errno error)
        {
            error = Errno.Ok;
            if (UstarTarWriter.TryWrite(members, out byte[] archive, out string why))
                return archive;
            Log.Warning("VisorFs", string.Concat("backup.sh: ", why));
            error = Errno.ENAMETOOLONG;
            return null;
        }

        // Every ramdisk file with a live `.#name` marker beside it, depth first.
        private static void Collect(RamNode dir, string path, List<VisorTarMember> into)
        {
            if (dir == null || dir.Children == null)
                return;
            for (int i = 0; i < dir.Children.Count; i++)
            {
                RamNode c = dir.Children[i];
                if (c.Kind == RamNodeKind.Directory)
                {
                    string sub = path.Length == 0 ? c.Name : string.Concat(path, "/", c.Name);
                    Collect(c, sub, into);
                    continue;
                }
                if (c.Kind != RamNodeKind.File || FsPath.IsMarkerName(c.Name))
                    continue;
                RamNode marker = FindMarker(dir, c.Name);
                if (marker == null)
                    continue;
                var data = new byte[c.Size];
                Ramdisk.Read(c, 0, data);
                into.Add(new VisorTarMember(path.Length == 0 ? string.Concat(c.Name) : string.Concat(path, "/", c.Name), c.Mode | FileMode.Sticky, TarEntryType.File, data)
                {
                    ModificationTime = c.ModificationTime,
                });
            }
        }

        private static RamNode FindMarker(RamNode dir, string name)
        {
            for (int i = 0; i < dir.Children.Count; i++)
            {
                RamNode m = dir.Children[i];
                string n = m.Name;
                if (m.Kind != RamNodeKind.File || n.Length != name.Length + 2 || !FsPath.IsMarkerName(n))
                    continue;
                int k = 0;
                while (k < name.Length && n[k + 2] == name[k])
                    k++;
                if (k == name.Length)
                    return m;
            }
            return null;
        }

        private static int Extract(VisorFsRoot root, ReadOnlySpan<byte> archive)
        {
            TarIndex index = TarIndex.Build(archive, Tardisk.PresizedMembers);
            for (int i = 0; i < index.Diagnostics.Count; i++)
                Log.Warning("VisorFs", string.Concat("state.tgz: rejected entry '", index.Diagnostics[i].EntryName, "': ", index.Diagnostics[i].Reason));
            int restored = 0;
            for (int i = 1; i < index.Count; i++)
            {
                TarEntry e = index[i];
                string path = string.Concat("/", e.Path);
                string refusal = RestoreRefusal(e);
                if (refusal != null)
                {
                    if (refusal.Length > 0)
                        Log.Warning("VisorFs", string.Concat("state.tgz: not restoring '", Printable(e.Path), "': ", refusal));
                    continue;
                }
                if (e.IsDirectory)
                {
                    MakeDirectories(root, path, e.Mode & PermissionBits);
                    continue;
                }
                MakeDirectories(root, FsPath.Parent(path), 0x1ED);
                Errno err = root.OpenForWrite("/", path, false, out RamNode file, out string canonical);
                if (err == Errno.Ok)
                    err = file.Owner.Write(file, 0, TarIndex.GetData(archive, e), canonical);
                if (err != Errno.Ok)
                {
                    Log.Warning("VisorFs", string.Concat("state.tgz: cannot restore ", path, ": ", ErrnoText.Describe(err)));
                    continue;
                }
                // Permission bits only: a set-user-ID or set-group-ID bit from a state file is never trusted.
                file.Mode = (e.Mode & PermissionBits) | FileMode.Sticky;
                file.ModificationTime = e.ModificationTime;
                root.MarkModified(file);
                restored++;
            }
            return restored;
        }

        private const int PermissionBits = 0x1FF;   // 0777

        /// <summary>
        /// Why a member of a state archive is not restored: null to restore it, "" to skip it silently (the root, the
        /// directories on the way to /etc, markers), otherwise the reason logged. Only what backup.sh writes is
        /// accepted: regular files and directories under /etc, with names free of control characters. A hostile
        /// state.tgz could otherwise plant a sticky /bootbank/state.tgz, a file elsewhere in the root, or a name with
        /// a newline that forges log lines and listings.
        /// </summary>
        internal static string RestoreRefusal(TarEntry e)
        {
            string path = e.Path;
            if (path == "etc" && e.IsDirectory)
                return "";
            if (!path.StartsWith("etc/"))
                return "outside /etc (state.tgz holds only /etc's sticky files)";
            for (int i = 0; i < path.Length; i++)
                if (path[i] < ' ' || path[i] == '\u007f')
                    return "control character in the name";
            if (e.IsDirectory)
                return null;
            if (e.Type != TarEntryType.File)
                return "not a regular file";
            return FsPath.IsMarkerName(e.Name) ? "" : null;
        }

        // A name for the log: control characters shown as '?', so a refused name cannot forge a log line.
        private static string Printable(string name)
        {
            char[] chars = new char[name.Length];
            for (int i = 0; i < name.Length; i++)
                chars[i] = name[i] < ' ' || name[i] == '\u007f' ? '?' : name[i];
            return new string(chars, 0, chars.Length);
        }

        private static void MakeDirectories(VisorFsRoot root, string path, int mode)
        {
            if (root.Resolve("/", path, true, out FsNode node) == Errno.Ok)
                return;
            MakeDirectories(root, FsPath.Parent(path), 0x1ED);
            root.Mkdir("/", path, mode);
        }

        /// <summary>Inflates a gzip image into pages of the tardisk pool (freed by the caller).</summary>
        internal static PageRun Gunzip(VisorFsRoot root, ReadOnlySpan<byte> image, out long length, out string why)
        {
            length = 0;
            why = null;
            if (!Gzip.IsGzip(image))
            {
                why = "not a gzip file";
                return null;
            }
            long size = Gzip.TryGetUncompressedSize(image, out uint hint) ? hint : 0;
            if (size < 4096)
                size = 4096;
            if (size > MaxStateBytes)
                size = MaxStateBytes;
            Inflater inflater = TardiskLoader.SharedInflater;
            PageRun run = null;
            while (true)
            {
                run = PageRun.TryAllocate(root.Tree, root.TardiskGroup, size, out ResourceGroup refused);
                if (run == null)
                {
                    why = "no memory to inflate it";
                    break;
                }
                GzipStatus status = Gzip.Decompress(inflater, image, new Span<byte>(run.Pointer, (int)size), out int produced);
                if (status == GzipStatus.Ok)
                {
                    length = produced;
                    break;
                }
                run.Free();
                run = null;
                if (status != GzipStatus.OutputTooSmall || size >= MaxStateBytes)
                {
                    why = status == GzipStatus.OutputTooSmall ? "larger than 64 MB" : TardiskLoader.Describe(status);
                    break;
                }
                size = size * 2 > MaxStateBytes ? MaxStateBytes : size * 2;
            }
            return run;
        }
    }
}
