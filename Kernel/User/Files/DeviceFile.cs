// DeviceFile.cs -- the character devices a program expects in /dev: null (reads end, writes vanish), zero (reads
// zeros), urandom (reads TSC-mixed bytes, the same source as getrandom: not for keys). Their numbers are Linux's
// (1,3), (1,5), (1,9) so `ls -l` and programs that check st_rdev see what they know.
using System;

namespace Kernel.User
{
    public sealed class DeviceFile : UserFile
    {
        public enum Kind { Null, Zero, Urandom }

        private readonly Kind _kind;

        public DeviceFile(Kind kind, int statusFlags)
        {
            _kind = kind;
            StatusFlags = statusFlags;
        }

        public override string Path => DeviceNodes.PathOf(_kind);

        public override long Read(Span<byte> into)
        {
            if (!CanRead)
                return -LinuxError.EBADF;
            if (_kind == Kind.Null)
                return 0;
            if (_kind == Kind.Zero)
                into.Clear();
            else
                RandomBytes.Fill(into);
            return into.Length;
        }

        public override long Write(ReadOnlySpan<byte> data) => CanWrite ? data.Length : -LinuxError.EBADF;
        public override long ReadAt(Span<byte> into, long offset) => Read(into);
        public override long WriteAt(ReadOnlySpan<byte> data, long offset) => Write(data);
        public override long Seek(long offset, int whence) => 0;

        public override FileStatus Status() => DeviceNodes.StatusOf(_kind);
    }
}
