// Tardisk.cs -- a mounted tardisk: a tar or visor-tar archive used in place (a boot module's memory, or pages the
// gzip'd module was inflated into), its index, and how many of its files are open (unmounting is refused then).
using System;
using Internal.Runtime;
using Kernel.Logging;
using VisorFs;

namespace Kernel.VisorFs
{
    public sealed unsafe class Tardisk
    {
        public string Name { get; private set; }
        public ulong Address { get; private set; }
        public long Length { get; private set; }
        /// <summary>The pages holding the inflated archive (charged to host/visorfs/tardisks); null when used in place.</summary>
        public PageRun Memory { get; private set; }
        public TarIndex Index { get; private set; }
        public long CompressedLength { get; private set; }
        public int OpenCount { get; internal set; }
        public int Rejected { get; private set; }

        public ReadOnlySpan<byte> Bytes => new ReadOnlySpan<byte>((void*)Address, (int)Length);

        /// <summary>Indexes the archive at [address, address+length) and logs one line per rejected member.</summary>
        /// <summary>
        /// Up-front index sizing in the kernel: base images hold few, large files, so the length-based bound would
        /// zero arrays for tens of thousands of members that never come; the index grows past this instead.
        /// </summary>
        public const int PresizedMembers = 1024;

        public static Tardisk Mount(string name, ulong address, long length, PageRun memory, long compressedLength)
        {
            var disk = new Tardisk { Name = name, Address = address, Length = length, Memory = memory, CompressedLength = compressedLength };
            disk.Index = TarIndex.Build(disk.Bytes, Tardisk.PresizedMembers);
            var diagnostics = disk.Index.Diagnostics;
            for (int i = 0; i < diagnostics.Count; i++)
            {
                TarDiagnostic d = diagnostics[i];
                Log.Warning("VisorFs", string.Concat("Tardisk ", name, string.Concat(": rejected entry '", d.EntryName, "' at offset "),
                    string.Concat(d.HeaderOffset.ToString(), ": ", d.Reason)));
            }
            disk.Rejected = diagnostics.Count;
            return disk;
        }

        /// <summary>The data of a file entry (zero copy), bounds-checked against the archive.</summary>
        public ReadOnlySpan<byte> Data(TarEntry entry) => TarIndex.GetData(Bytes, entry);

        /// <summary>Gives back the inflated pages and the index (a module used in place keeps its boot memory).</summary>
        public void Release()
        {
            Memory?.Free();
            Memory = null;
            Index = null;
            Address = 0;
            Length = 0;
        }

        public static FileKind KindOf(TarEntry entry) => entry.Type switch
        {
            TarEntryType.Directory => FileKind.Directory,
            TarEntryType.Symlink => FileKind.Symlink,
            TarEntryType.CharDevice => FileKind.CharDevice,
            TarEntryType.BlockDevice => FileKind.BlockDevice,
            TarEntryType.Fifo => FileKind.Fifo,
            _ => FileKind.File,
        };
    }
}
