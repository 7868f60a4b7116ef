// OpenFileTable.cs -- the system-wide table of open files. An open file pins what it reads: its tardisk (so
// `rm /tardisks/NAME` fails with EBUSY) or its ramdisk inode and ramdisk (so neither is freed under a reader: an
// inode unlinked while open is freed by its last unpin).
using System;
using Internal.Runtime;

namespace Kernel.VisorFs
{
    public sealed class OpenFile
    {
        public int Descriptor;
        public FsNode Node;
        public long Position;
        public string Owner;      // who opened it (for lsof-style listings)
    }

    public sealed class OpenFileTable
    {
        public const int MaxFiles = 128;
        public const int FirstDescriptor = 3;
        private readonly OpenFile[] _files = new OpenFile[MaxFiles];

        public int Count
        {
            get
            {
                int n = 0;
                for (int i = 0; i < MaxFiles; i++)
                    if (_files[i] != null)
                        n++;
                return n;
            }
        }

        public OpenFile At(int slot) => (uint)slot < MaxFiles ? _files[slot] : null;

        /// <summary>Opens a resolved file for reading; EISDIR for directories, ENFILE when the table is full.</summary>
        public Errno Open(FsNode node, string owner, out int descriptor)
        {
            descriptor = -1;
            if (!node.Exists)
                return Errno.ENOENT;
            if (node.IsDirectory)
                return Errno.EISDIR;
            if (node.Kind != FileKind.File)
                return Errno.EINVAL;
            for (int i = 0; i < MaxFiles; i++)
            {
                if (_files[i] != null)
                    continue;
                _files[i] = new OpenFile { Descriptor = i + FirstDescriptor, Node = node, Owner = owner };
                Pin(node, 1);
                descriptor = i + FirstDescriptor;
                return Errno.Ok;
            }
            return Errno.ENFILE;
        }

        public OpenFile Get(int descriptor)
        {
            int slot = descriptor - FirstDescriptor;
            return (uint)slot < MaxFiles ? _files[slot] : null;
        }

        /// <summary>Reads from the current position; 0 at the end of the file, -1 for a bad descriptor.</summary>
        public int Read(int descriptor, Span<byte> into)
        {
            OpenFile f = Get(descriptor);
            if (f == null)
                return -1;
            int n;
            if (f.Node.Volume != null)
            {
                if (f.Node.Volume.Read(f.Node.VolumePath, f.Position, into, out n) != Errno.Ok)
                    return -1;   // a volume read error ends the read like a bad descriptor: the caller stops
            }
            else if (f.Node.Ram != null)
            {
                n = Ramdisk.Read(f.Node.Ram, f.Position, into);
            }
            else
            {
                ReadOnlySpan<byte> data = f.Node.TardiskFile != null ? f.Node.TardiskFile.Bytes : f.Node.Tar.Data(f.Node.Entry);
                long left = data.Length - f.Position;
                n = left <= 0 ? 0 : (into.Length < left ? into.Length : (int)left);
                if (n > 0)
                    data.Slice((int)f.Position, n).CopyTo(into);
            }
            f.Position += n;
            return n;
        }

        public Errno Close(int descriptor)
        {
            OpenFile f = Get(descriptor);
            if (f == null)
                return Errno.EBADF;
            Pin(f.Node, -1);
            _files[descriptor - FirstDescriptor] = null;
            return Errno.Ok;
        }

        /// <summary>True when a file of this tardisk is open (unmount must wait).</summary>
        public static bool IsBusy(Tardisk disk) => disk.OpenCount > 0;

        internal static void Pin(FsNode node, int delta)
        {
            if (node.Ram != null)
            {
                node.Ram.OpenCount += delta;
                node.Ram.Owner.OpenCount += delta;
                if (node.Ram.OpenCount == 0 && node.Ram.Unlinked)
                    Ramdisk.FreeOrphan(node.Ram);
            }
            else if (node.TardiskFile != null)
            {
                node.TardiskFile.OpenCount += delta;
            }
            else if (node.Tar != null)
            {
                node.Tar.OpenCount += delta;
            }
        }
    }
}
