// NodeFile.cs -- an open regular file of VisorFS: a ramdisk inode (read and written in place), a tardisk entry
// (read-only: opening it for writing copied it up into a ramdisk first, see FileOpener), a file on a mounted FAT
// volume (read and written through the volume by path), or /tardisks/NAME. The node stays pinned while open, as the
// shell's open files pin theirs (a tardisk with an open file cannot be unmounted). Every VisorFS call runs under
// FsLock: the shell, the log writer and cron use the same tree from other worlds.
using System;
using Kernel.VisorFs;

namespace Kernel.User
{
    public sealed class NodeFile : UserFile
    {
        private readonly FsNode _node;
        private long _position;

        public NodeFile(FsNode node, int statusFlags)
        {
            _node = node;
            StatusFlags = statusFlags;
            OpenFileTable.Pin(node, 1);
        }

        public override string Path => _node.Path;
        public override bool IsStream => false;

        // The last close may run in the reaper (a killed program's files), where no lock can be taken: the pin is a
        // counter update, made with interrupts off so no other world's update interleaves with it on this CPU.
        protected override void Closed()
        {
            ulong flags = Arch.Cpu.SaveAndDisableInterrupts();
            OpenFileTable.Pin(_node, -1);
            Arch.Cpu.RestoreInterrupts(flags);
        }

        public override long Read(Span<byte> into)
        {
            long n = ReadAt(into, _position);
            if (n > 0)
                _position += n;
            return n;
        }

        public override long Write(ReadOnlySpan<byte> data)
        {
            if ((StatusFlags & Append) != 0)
                _position = CurrentSize();
            long n = WriteAt(data, _position);
            if (n > 0)
                _position += n;
            return n;
        }

        public override long ReadAt(Span<byte> into, long offset)
        {
            if (!CanRead)
                return -LinuxError.EBADF;
            if (offset < 0)
                return -LinuxError.EINVAL;
            FsLock.Enter();
            try
            {
                if (_node.Volume != null)
                {
                    Errno e = _node.Volume.Read(_node.VolumePath, offset, into, out int read);
                    return e == Errno.Ok ? read : LinuxError.From(e);
                }
                if (_node.Ram != null)
                    return Ramdisk.Read(_node.Ram, offset, into);
                ReadOnlySpan<byte> data = _node.TardiskFile != null ? _node.TardiskFile.Bytes : _node.Tar.Data(_node.Entry);
                long left = data.Length - offset;
                int n = left <= 0 ? 0 : (into.Length < left ? into.Length : (int)left);
                if (n > 0)
                    data.Slice((int)offset, n).CopyTo(into);
                return n;
            }
            finally
            {
                FsLock.Exit();
            }
        }

        public override long WriteAt(ReadOnlySpan<byte> data, long offset)
        {
            if (!CanWrite)
                return -LinuxError.EBADF;
            if (offset < 0)
                return -LinuxError.EINVAL;
            if (data.Length == 0)
                return 0;
            FsLock.Enter();
            try
            {
                Errno e;
                if (_node.Volume != null)
                {
                    e = _node.Volume.Write(_node.VolumePath, offset, data);
                }
                else if (_node.Ram != null)
                {
                    e = _node.Ram.Owner.Write(_node.Ram, offset, data, _node.Path);
                    _node.Ram.ModificationTime = VisorFsRoot.Now;
                    VisorFsRoot.Instance.MarkModified(_node.Ram);
                }
                else
                {
                    e = Errno.EBADF;   // a tardisk entry is never open for writing (FileOpener copies it up)
                }
                return e == Errno.Ok ? data.Length : LinuxError.From(e);
            }
            finally
            {
                FsLock.Exit();
            }
        }

        public override long Seek(long offset, int whence)
        {
            long origin = whence switch { 0 => 0, 1 => _position, 2 => CurrentSize(), _ => -1 };
            if (origin < 0 || origin + offset < 0)
                return -LinuxError.EINVAL;
            _position = origin + offset;
            return _position;
        }

        public override long Truncate(long size)
        {
            if (!CanWrite)
                return -LinuxError.EINVAL;
            if (size < 0)
                return -LinuxError.EINVAL;
            FsLock.Enter();
            try
            {
                if (_node.Volume != null)
                    return LinuxError.From(_node.Volume.Truncate(_node.VolumePath, size));
                if (_node.Ram == null)
                    return -LinuxError.EINVAL;
                RamNode file = _node.Ram;
                if (size < file.Size)
                    file.Owner.Truncate(file, size);
                else if (size > file.Size)
                {
                    // Ramdisk.Write zero-fills the pages it adds; writing the last byte grows the file to size.
                    Span<byte> zero = stackalloc byte[1];
                    zero[0] = 0;
                    Errno e = file.Owner.Write(file, size - 1, zero, _node.Path);
                    if (e != Errno.Ok)
                        return LinuxError.From(e);
                }
                file.ModificationTime = VisorFsRoot.Now;
                VisorFsRoot.Instance.MarkModified(file);
                return 0;
            }
            finally
            {
                FsLock.Exit();
            }
        }

        public override FileStatus Status()
        {
            FsLock.Enter();
            FileStatus s = FileStatus.Of(_node);
            s.Size = CurrentSize();
            FsLock.Exit();
            return s;
        }

        private long CurrentSize()
        {
            if (_node.Ram != null)
                return _node.Ram.Size;
            if (_node.Volume != null)
            {
                FsLock.Enter();
                Errno e = _node.Volume.Stat(_node.VolumePath, out VolumeEntry entry);
                FsLock.Exit();
                return e == Errno.Ok ? entry.Size : 0;
            }
            return _node.Size;
        }
    }
}
