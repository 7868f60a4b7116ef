// FileTable.cs -- a process's file descriptors: small integers naming shared open file descriptions (UserFile),
// each with its own close-on-exec flag. New descriptors take the lowest free number, as POSIX requires (shells
// rely on it: close(1); open(...) becomes stdout). At most 256 per process.
//
// The threads of a process share one table and may change it at once (on one CPU by preemption, or on several), so
// every change of a slot is made under a short lock (the scheduler's KernelLock: re-entrant, usable with interrupts
// off, as the reaper closes tables), and a description's last reference is dropped after the lock is left (closing
// a VisorFS file takes FsLock, which may block). Not covered yet: a descriptor closed by one thread while another
// is inside a call on it (Get hands out the description without a reference of its own).
using Kernel.Sync;

namespace Kernel.User
{
    public sealed class FileTable
    {
        public const int MaxDescriptors = 256;
        private readonly UserFile[] _files = new UserFile[MaxDescriptors];
        private readonly bool[] _closeOnExec = new bool[MaxDescriptors];

        public UserFile Get(int fd) => (uint)fd < MaxDescriptors ? _files[fd] : null;

        public bool CloseOnExec(int fd) => (uint)fd < MaxDescriptors && _closeOnExec[fd];

        public void SetCloseOnExec(int fd, bool value)
        {
            ulong flags = SchedulerLock.Enter();
            if ((uint)fd < MaxDescriptors && _files[fd] != null)
                _closeOnExec[fd] = value;
            SchedulerLock.Exit(flags);
        }

        /// <summary>Puts <paramref name="file"/> (a reference the table now owns) at the lowest free fd at or above
        /// <paramref name="lowest"/>; -EMFILE (and the reference released) when none is free.</summary>
        public long Add(UserFile file, bool closeOnExec, int lowest = 0)
        {
            ulong flags = SchedulerLock.Enter();
            for (int fd = lowest < 0 ? 0 : lowest; fd < MaxDescriptors; fd++)
            {
                if (_files[fd] != null)
                    continue;
                _files[fd] = file;
                _closeOnExec[fd] = closeOnExec;
                SchedulerLock.Exit(flags);
                return fd;
            }
            SchedulerLock.Exit(flags);
            file.Release();
            return -LinuxError.EMFILE;
        }

        /// <summary>dup2/dup3: <paramref name="fd"/> names <paramref name="file"/>, closing what it named before.</summary>
        public void Replace(int fd, UserFile file, bool closeOnExec)
        {
            ulong flags = SchedulerLock.Enter();
            UserFile old = _files[fd];
            _files[fd] = file;
            _closeOnExec[fd] = closeOnExec;
            SchedulerLock.Exit(flags);
            old?.Release();
        }

        public long Close(int fd)
        {
            if ((uint)fd >= MaxDescriptors)
                return -LinuxError.EBADF;
            ulong flags = SchedulerLock.Enter();
            UserFile file = _files[fd];
            _files[fd] = null;
            _closeOnExec[fd] = false;
            SchedulerLock.Exit(flags);
            if (file == null)
                return -LinuxError.EBADF;
            file.Release();
            return 0;
        }

        /// <summary>At execve: the descriptors marked close-on-exec go.</summary>
        public void CloseMarked()
        {
            for (int fd = 0; fd < MaxDescriptors; fd++)
                if (_files[fd] != null && _closeOnExec[fd])
                    Close(fd);
        }

        public void CloseAll()
        {
            for (int fd = 0; fd < MaxDescriptors; fd++)
                if (_files[fd] != null)
                    Close(fd);
        }

        /// <summary>fork: a new table naming the same open file descriptions.</summary>
        public FileTable Clone()
        {
            var copy = new FileTable();
            ulong flags = SchedulerLock.Enter();
            for (int fd = 0; fd < MaxDescriptors; fd++)
            {
                if (_files[fd] == null)
                    continue;
                copy._files[fd] = _files[fd].Share();
                copy._closeOnExec[fd] = _closeOnExec[fd];
            }
            SchedulerLock.Exit(flags);
            return copy;
        }
    }
}
