// RedirectedOutput.cs -- where a command's output goes under `cmd > FILE` / `cmd >> FILE`: the file is opened (and
// truncated, for `>`) before the command runs, as sh does, and the output streams into it through one 4 KiB buffer,
// written out each time it fills. The heap holds 4 KiB whatever the command prints (it used to hold the whole output
// as a StringBuilder, a string and a byte array: `cat x x > y` of 26 MB took 130 MB).
using System;
using Kernel.VisorFs;

namespace Kernel.Shell
{
    internal sealed class RedirectedOutput
    {
        private const int BufferBytes = 4096;

        private readonly byte[] _buffer = new byte[BufferBytes];
        private int _used;
        private char _highSurrogate;
        private readonly string _path;      // canonical: the command may change the working directory
        private readonly string _target;    // as typed, for messages

        /// <summary>The first write error (ENOSPC, ...); output after it is dropped.</summary>
        public Errno Error { get; private set; }

        private RedirectedOutput(string path, string target)
        {
            _path = path;
            _target = target;
        }

        public string Target => _target;

        /// <summary>Creates (or truncates, unless <paramref name="append"/>) the target; the error if it cannot.</summary>
        public static Errno Open(string workingDirectory, string target, bool append, out RedirectedOutput output)
        {
            output = null;
            VisorFsRoot root = VisorFsRoot.Instance;
            if (root == null)
                return Errno.ENOENT;
            int depth = FsLock.Depth;
            FsLock.Enter();
            try
            {
                if (root.TryOpenOnVolume(workingDirectory, target, append, out Errno onVolume, out string volumePath))
                {
                    // A file on a mounted volume: created or emptied there; the buffer appends to it.
                    if (onVolume == Errno.Ok)
                        output = new RedirectedOutput(volumePath, target);
                    return onVolume;
                }
                Errno e = root.OpenForWrite(workingDirectory, target, append, out RamNode file, out string canonical);
                if (e != Errno.Ok)
                    return e;
                file.ModificationTime = VisorFsRoot.Now;
                root.MarkModified(file);
                output = new RedirectedOutput(canonical, target);
                return Errno.Ok;
            }
            finally
            {
                FsLock.ExitTo(depth);
            }
        }

        // UTF-8, as the files' text is (VisorFs.Utf8.Encode): a surrogate pair becomes one 4-byte sequence.
        public void Write(char c)
        {
            if (_highSurrogate != 0)
            {
                char high = _highSurrogate;
                _highSurrogate = '\0';
                if (c >= '\uDC00' && c <= '\uDFFF')
                {
                    int code = 0x10000 + ((high - 0xD800) << 10) + (c - 0xDC00);
                    Put((byte)(0xF0 | (code >> 18)), (byte)(0x80 | ((code >> 12) & 0x3F)), (byte)(0x80 | ((code >> 6) & 0x3F)), (byte)(0x80 | (code & 0x3F)), 4);
                    return;
                }
                PutThreeBytes(high);
            }
            if (c < 0x80)
                Put((byte)c, 0, 0, 0, 1);
            else if (c < 0x800)
                Put((byte)(0xC0 | (c >> 6)), (byte)(0x80 | (c & 0x3F)), 0, 0, 2);
            else if (c >= '\uD800' && c <= '\uDBFF')
                _highSurrogate = c;
            else
                PutThreeBytes(c);
        }

        public void Write(string text)
        {
            for (int i = 0; i < text.Length; i++)
                Write(text[i]);
        }

        private void PutThreeBytes(char c) => Put((byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F)), 0, 3);

        private void Put(byte b0, byte b1, byte b2, byte b3, int count)
        {
            if (_used + count > BufferBytes)
                WriteBuffer();
            _buffer[_used++] = b0;
            if (count > 1)
                _buffer[_used++] = b1;
            if (count > 2)
                _buffer[_used++] = b2;
            if (count > 3)
                _buffer[_used++] = b3;
        }

        /// <summary>Appends what the buffer holds to the file (a no-op after an error: the rest is lost, as in sh).</summary>
        public void Flush()
        {
            if (_highSurrogate != 0)
            {
                char high = _highSurrogate;
                _highSurrogate = '\0';
                if (_used + 3 > BufferBytes)
                    WriteBuffer();
                PutThreeBytes(high);
            }
            WriteBuffer();
        }

        private void WriteBuffer()
        {
            int length = _used;
            _used = 0;
            if (length == 0 || Error != Errno.Ok)
                return;
            VisorFsRoot root = VisorFsRoot.Instance;
            int depth = FsLock.Depth;
            try
            {
                Errno e = root == null ? Errno.ENOENT : root.WriteFile("/", _path, new ReadOnlySpan<byte>(_buffer, 0, length), append: true);
                if (e != Errno.Ok)
                    Error = e;
            }
            finally
            {
                FsLock.ExitTo(depth);   // WriteFile's own Enter/Exit has no finally
            }
        }
    }
}
