// DirectoryFile.cs -- an open directory: getdents64 hands out `.`, `..` and the merged listing of every layer
// (VisorFsRoot.ReadDirectory), taken once when the first read starts so entries added or removed meanwhile never
// make a reader skip or repeat a name. lseek to 0 starts over with a fresh listing.
using System;
using System.Collections.Generic;
using Kernel.VisorFs;

namespace Kernel.User
{
    public sealed class DirectoryFile : UserFile
    {
        private readonly FsNode _node;
        private List<DirEntry> _entries;
        private int _next;

        public DirectoryFile(FsNode node, int statusFlags)
        {
            _node = node;
            StatusFlags = statusFlags;
        }

        public override string Path => _node.Path;

        public override long Read(Span<byte> into) => -LinuxError.EISDIR;

        public override FileStatus Status()
        {
            FsLock.Enter();
            FileStatus s = FileStatus.Of(_node);
            FsLock.Exit();
            return s;
        }

        public override long Seek(long offset, int whence)
        {
            if (whence != 0 || offset < 0)
                return -LinuxError.EINVAL;
            if (offset == 0)
                _entries = null;
            _next = (int)offset;
            return offset;
        }

        public override unsafe long ReadDirectory(Span<byte> into)
        {
            if (_entries == null)
            {
                var list = new List<DirEntry>();
                FsLock.Enter();
                Errno e = VisorFsRoot.Instance.ReadDirectory(_node, list);
                FsLock.Exit();
                if (e != Errno.Ok)
                    return LinuxError.From(e);
                _entries = list;
            }
            int used = 0;
            while (_next < _entries.Count + 2)
            {
                string name;
                ulong inode;
                byte type;
                if (_next < 2)
                {
                    name = _next == 0 ? "." : "..";
                    inode = FileStatus.InodeOf(_next == 0 ? _node.Path : FsPath.Parent(_node.Path));
                    type = 4;
                }
                else
                {
                    DirEntry entry = _entries[_next - 2];
                    name = entry.Name;
                    inode = FileStatus.InodeOf(entry.Node.Path ?? FsPath.Child(_node.Path, entry.Name));
                    type = FileStatus.DirentType(entry.Node.Kind);
                }
                int after = LinuxDirent.Append(into, used, inode, _next + 1, type, name);
                if (after < 0)
                    return used == 0 ? -LinuxError.EINVAL : used;
                used = after;
                _next++;
            }
            return used;
        }
    }
}
