// PipeFile.cs -- one end of a pipe (pipe2) as a file: the read end reads, the write end writes; a write with no
// reader left is EPIPE and raises SIGPIPE in the writer (its default ends the process, as on Linux; a program that
// ignores or catches SIGPIPE gets the EPIPE). fstat shows a FIFO.
using System;
using Kernel.Worlds;

namespace Kernel.User
{
    public sealed class PipeFile : UserFile
    {
        private static int s_next;
        private readonly Pipe _pipe;
        private readonly bool _readEnd;
        private readonly ulong _inode;

        private PipeFile(Pipe pipe, bool readEnd, int statusFlags, ulong inode)
        {
            _pipe = pipe;
            _readEnd = readEnd;
            _inode = inode;
            StatusFlags = statusFlags;
        }

        public static void Create(int flags, out PipeFile reader, out PipeFile writer)
        {
            var pipe = new Pipe(readers: 1, writers: 1);
            ulong inode = (ulong)(++s_next) | 0x10000000UL;
            reader = new PipeFile(pipe, true, ReadOnly | (flags & NonBlock), inode);
            writer = new PipeFile(pipe, false, WriteOnly | (flags & NonBlock), inode);
        }

        protected override void Closed() => _pipe.Closed(_readEnd);

        public override long Read(Span<byte> into)
        {
            if (!_readEnd)
                return -LinuxError.EBADF;
            return _pipe.Read(into, (StatusFlags & NonBlock) != 0);
        }

        public override long Write(ReadOnlySpan<byte> data)
        {
            if (_readEnd)
                return -LinuxError.EBADF;
            long n = _pipe.Write(data, (StatusFlags & NonBlock) != 0);
            if (n == -LinuxError.EPIPE && Scheduler.Current.UserState is UserProgram program)
                SignalActions.Send(Scheduler.Current, program, SignalActions.SigPipe);
            return n;
        }

        public override short Poll(short events)
        {
            if (_readEnd)
                return (short)((_pipe.Available > 0 ? events & PollIn : 0) | (_pipe.Writers == 0 ? PollHup : 0));
            if (_pipe.Readers == 0)
                return PollErr;
            return (short)(_pipe.Available < Pipe.Capacity ? events & PollOut : 0);
        }

        public override FileStatus Status() => new FileStatus
        {
            Mode = FileStatus.TypeFifo | 0x180,   // prw-------
            Inode = _inode,
            Device = 9,
            Size = _pipe.Available,
            Links = 1,
        };
    }
}
