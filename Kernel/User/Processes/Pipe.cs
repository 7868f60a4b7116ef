// Pipe.cs -- the buffer between a pipe's two ends: 64 KiB, as Linux's default. A read waits while it is empty and a
// writer remains (then 0: end of file); a write waits for room while a reader remains (none: EPIPE, and SIGPIPE for
// the writer). Writes of up to PIPE_BUF (4096) bytes are atomic: they wait for room for all of them. The ring and
// the end counts are under the pipe's own lock (its two ends may run on two CPUs): a leaf lock, so the events that
// wake the other side are set after it is let go (a stale Set only makes a waiter look again). Waiters sleep on
// manual-reset events and check again, and a handler to run interrupts the wait (-ERESTARTSYS, a partial write
// returns what it wrote).
using System;
using Internal.Runtime;
using Kernel.Sync;

namespace Kernel.User
{
    public sealed class Pipe
    {
        public const int Capacity = 65536, AtomicBytes = 4096;
        // A waiter looks for a signal to handle this often (ticks): then the call ends with -ERESTARTSYS (EINTR, or
        // restarted after an SA_RESTART handler), as Linux's pipe_read/pipe_write.
        private const ulong SignalCheckTicks = 10;

        private readonly byte[] _data = new byte[Capacity];
        private int _start, _count;
        private int _readers, _writers;
        private KernelLock _lock;
        private readonly Event _readable = new Event(manualReset: true);
        private readonly Event _writable = new Event(manualReset: true);

        public int Available => _count;
        public int Readers => _readers;
        public int Writers => _writers;

        public Pipe(int readers, int writers)
        {
            _readers = readers;
            _writers = writers;
        }

        /// <summary>Bytes read (0: no writer is left), or -EAGAIN when empty and nonblocking.</summary>
        public long Read(Span<byte> into, bool nonBlocking)
        {
            while (true)
            {
                ulong flags = _lock.Enter(LockRank.Pipe);
                if (_count > 0 || _writers == 0)
                {
                    int n = into.Length < _count ? into.Length : _count;
                    for (int i = 0; i < n; i++)
                        into[i] = _data[(_start + i) % Capacity];
                    _start = (_start + n) % Capacity;
                    _count -= n;
                    if (_count == 0)
                        _start = 0;
                    _lock.Exit(flags);
                    _writable.Set();
                    return n;
                }
                _readable.Reset();
                _lock.Exit(flags);
                if (nonBlocking)
                    return -LinuxError.EAGAIN;
                if (SignalDelivery.CurrentInterrupted())
                    return -SignalDelivery.ERestartSys;
                _readable.Wait(SignalCheckTicks);
            }
        }

        /// <summary>Bytes written (all of them, blocking), -EPIPE when no reader is left, -EAGAIN when nonblocking and full.</summary>
        public long Write(ReadOnlySpan<byte> data, bool nonBlocking)
        {
            int done = 0;
            while (done < data.Length)
            {
                ulong flags = _lock.Enter(LockRank.Pipe);
                if (_readers == 0)
                {
                    _lock.Exit(flags);
                    return done > 0 ? done : -LinuxError.EPIPE;
                }
                int room = Capacity - _count;
                int left = data.Length - done;
                bool fits = data.Length <= AtomicBytes ? room >= left : room > 0;
                if (fits)
                {
                    int n = left < room ? left : room;
                    for (int i = 0; i < n; i++)
                        _data[(_start + _count + i) % Capacity] = data[done + i];
                    _count += n;
                    done += n;
                    _lock.Exit(flags);
                    _readable.Set();
                    continue;
                }
                _writable.Reset();
                _lock.Exit(flags);
                if (nonBlocking)
                    return done > 0 ? done : -LinuxError.EAGAIN;
                if (SignalDelivery.CurrentInterrupted())
                    return done > 0 ? done : -SignalDelivery.ERestartSys;
                _writable.Wait(SignalCheckTicks);
            }
            return done;
        }

        /// <summary>An end closed: whoever waits on the other side looks again (end of file, EPIPE).</summary>
        public void Closed(bool readEnd)
        {
            ulong flags = _lock.Enter(LockRank.Pipe);
            if (readEnd)
                _readers--;
            else
                _writers--;
            _lock.Exit(flags);
            _readable.Set();
            _writable.Set();
        }
    }
}
