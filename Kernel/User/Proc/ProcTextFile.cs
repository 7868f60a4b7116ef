// ProcTextFile.cs -- an open /proc file: its text was generated once, when it was opened (ProcFs), so a program
// that reads it in pieces sees one consistent snapshot; lseek back to 0 reads the same snapshot again.
using System;

namespace Kernel.User.Proc
{
    public sealed class ProcTextFile : UserFile
    {
        private readonly byte[] _text;
        private readonly string _path;
        private long _offset;

        public ProcTextFile(string path, string text)
        {
            _path = path;
            _text = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
                _text[i] = (byte)text[i];
            StatusFlags = ReadOnly;
        }

        public override string Path => _path;
        public override bool IsStream => false;

        public override long Read(Span<byte> into)
        {
            long n = ReadAt(into, _offset);
            if (n > 0)
                _offset += n;
            return n;
        }

        public override long ReadAt(Span<byte> into, long offset)
        {
            if (offset < 0)
                return -LinuxError.EINVAL;
            if (offset >= _text.Length)
                return 0;
            int n = (int)Math.Min(into.Length, _text.Length - offset);
            new ReadOnlySpan<byte>(_text, (int)offset, n).CopyTo(into);
            return n;
        }

        public override long Write(ReadOnlySpan<byte> data) => -LinuxError.EBADF;

        public override long Seek(long offset, int whence)
        {
            long target = whence switch { 0 => offset, 1 => _offset + offset, 2 => _text.Length + offset, _ => -1 };
            if (target < 0)
                return -LinuxError.EINVAL;
            _offset = target;
            return target;
        }

        // Linux reports size 0 for /proc files (their length is unknown until generated); so do we.
        public override FileStatus Status() => ProcFs.FileStatusOf(_path);
    }
}
