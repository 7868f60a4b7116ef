// ProcDirectoryFile.cs -- an open /proc directory (/proc itself or /proc/PID): getdents64 over the names taken when
// it was opened (the live processes at that instant for /proc), with `.` and `..` first.
using System;

namespace Kernel.User.Proc
{
    public sealed unsafe class ProcDirectoryFile : UserFile
    {
        private readonly string _path;
        private readonly string[] _names;
        private readonly byte[] _types;
        private int _next;

        public ProcDirectoryFile(string path, string[] names, byte[] types)
        {
            _path = path;
            _names = names;
            _types = types;
            StatusFlags = ReadOnly;
        }

        public override string Path => _path;
        public override long Read(Span<byte> into) => -LinuxError.EISDIR;
        public override FileStatus Status() => ProcFs.DirectoryStatusOf(_path);

        public override long Seek(long offset, int whence)
        {
            if (whence != 0 || offset < 0)
                return -LinuxError.EINVAL;
            _next = (int)offset;
            return offset;
        }

        public override long ReadDirectory(Span<byte> into)
        {
            int used = 0;
            while (_next < _names.Length + 2)
            {
                string name = _next == 0 ? "." : _next == 1 ? ".." : _names[_next - 2];
                byte type = _next < 2 ? (byte)4 : _types[_next - 2];
                string full = _next == 0 ? _path : _next == 1 ? Kernel.VisorFs.FsPath.Parent(_path) : string.Concat(_path, "/", name);
                int after = LinuxDirent.Append(into, used, FileStatus.InodeOf(full), _next + 1, type, name);
                if (after < 0)
                    return used == 0 ? -LinuxError.EINVAL : used;
                used = after;
                _next++;
            }
            return used;
        }
    }
}
