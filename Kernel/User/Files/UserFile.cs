// UserFile.cs -- an open file description: what an fd refers to. dup and fork share one (with its offset and
// status flags), so it counts its references and releases what it pins when the last goes. Results are Linux's:
// a count, or -errno. Buffers are kernel memory; the system calls copy to and from the program.
using System;

namespace Kernel.User
{
    public abstract class UserFile
    {
        public const int ReadOnly = 0, WriteOnly = 1, ReadWrite = 2, AccessMask = 3;
        public const int Append = 0x400, NonBlock = 0x800;

        /// <summary>O_ACCMODE, O_APPEND and O_NONBLOCK as F_GETFL shows them.</summary>
        public int StatusFlags;
        private int _references = 1;

        public bool CanRead => (StatusFlags & AccessMask) != WriteOnly;
        public bool CanWrite => (StatusFlags & AccessMask) != ReadOnly;

        // Atomic: the threads of a process (and a forking sibling) share and release descriptions at once.
        public UserFile Share()
        {
            System.Threading.Interlocked.Increment(ref _references);
            return this;
        }

        public void Release()
        {
            if (System.Threading.Interlocked.Decrement(ref _references) == 0)
                Closed();
        }

        protected virtual void Closed() { }

        public virtual long Read(Span<byte> into) => -LinuxError.EINVAL;
        public virtual long Write(ReadOnlySpan<byte> data) => -LinuxError.EINVAL;
        public virtual long ReadAt(Span<byte> into, long offset) => -LinuxError.ESPIPE;
        public virtual long WriteAt(ReadOnlySpan<byte> data, long offset) => -LinuxError.ESPIPE;
        public virtual long Seek(long offset, int whence) => -LinuxError.ESPIPE;
        public virtual long Truncate(long size) => -LinuxError.EINVAL;

        /// <summary>The next directory entries (getdents64); ENOTDIR for anything but a directory.</summary>
        public virtual long ReadDirectory(Span<byte> into) => -LinuxError.ENOTDIR;

        /// <summary>What fstat reports.</summary>
        public abstract FileStatus Status();

        /// <summary>The canonical path, for fchdir and /proc-less diagnostics; null when it has none.</summary>
        public virtual string Path => null;

        /// <summary>Whether it is a terminal (ioctl TCGETS succeeds: the C library line-buffers it).</summary>
        public virtual bool IsTerminal => false;

        public const short PollIn = 1, PollOut = 4, PollErr = 8, PollHup = 16;

        /// <summary>poll's revents for <paramref name="events"/>: a file is always ready, pipes and the terminal say.</summary>
        public virtual short Poll(short events) => (short)(events & (PollIn | PollOut));

        /// <summary>A pipe, the terminal, a device: a read returns what is there, rather than filling the buffer.</summary>
        public virtual bool IsStream => true;
    }
}
