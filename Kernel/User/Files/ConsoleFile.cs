// ConsoleFile.cs -- the terminal as a file: fd 0, 1 and 2 of a program the shell starts, and /dev/tty and
// /dev/console. Writes go where the shell's output goes (its terminal, or a `> FILE` redirection); reads take a
// line from the console (ConsoleInput); a background job's read gets SIGTTIN (ControllingTerminal). It is a terminal to ioctl, so the C library line-buffers stdout.
using System;
using Kernel.Worlds;

namespace Kernel.User
{
    public sealed class ConsoleFile : UserFile
    {
        private readonly IUserOutput _output;

        public ConsoleFile(IUserOutput output, int statusFlags)
        {
            _output = output;
            StatusFlags = statusFlags;
        }

        public override bool IsTerminal => true;
        public override string Path => "/dev/tty";

        public override long Read(Span<byte> into)
        {
            if (!CanRead)
                return -LinuxError.EBADF;
            if (into.Length == 0)
                return 0;
            if (Scheduler.Current.UserState is UserProgram reader && ControllingTerminal.IsBackground(reader))
            {
                // A background job reading the terminal: SIGTTIN stops its group (EIO when that cannot work).
                const int TtinBit = 1 << (SignalActions.SigTtin - 1);
                bool ignored = reader.Signals.Handler[SignalActions.SigTtin] == SignalState.Ignore || (reader.Signals.Blocked & TtinBit) != 0;
                if (ignored || ProcessGroups.IsOrphaned(reader.Process.ProcessGroup))
                    return -LinuxError.EIO;
                ProcessGroups.Signal(reader.Process.ProcessGroup, SignalActions.SigTtin);
                return -SignalDelivery.ERestartSys;
            }
            int n = ConsoleInput.Read(into, _output);
            // ^C and its kin signal the foreground group (ConsoleInput); a reader with a handler to run ends the read
            // with -ERESTARTSYS (EINTR, or restarted after an SA_RESTART handler), as n_tty_read.
            if (n == ConsoleInput.Interrupted)
                return -SignalDelivery.ERestartSys;
            return n;
        }

        public override short Poll(short events)
        {
            short ready = (short)(events & PollOut);
            if ((events & PollIn) != 0 && CanRead && ConsoleInput.Poll(_output))
                ready |= PollIn;
            return ready;
        }

        public override long Write(ReadOnlySpan<byte> data)
        {
            if (!CanWrite)
                return -LinuxError.EBADF;
            if (_output != null)
            {
                const int Chunk = 256;
                char[] text = new char[Chunk];
                for (int done = 0; done < data.Length; done += Chunk)
                {
                    int n = data.Length - done < Chunk ? data.Length - done : Chunk;
                    for (int i = 0; i < n; i++)
                        text[i] = (char)data[done + i];
                    _output.Write(new string(text, 0, n));
                }
            }
            return data.Length;
        }

        public override FileStatus Status() => new FileStatus
        {
            Mode = FileStatus.TypeChar | 0x190,   // crw--w----, like a pty
            Inode = FileStatus.InodeOf("/dev/tty"),
            Device = 5,
            RawDevice = (5 << 8) | 0,
            Links = 1,
        };
    }
}
