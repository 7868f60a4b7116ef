// Monitor.cs -- what `lock (obj)` compiles to: Monitor.Enter(obj, ref lockTaken) ... Monitor.Exit(obj). The core
// library knows no worlds, so the kernel installs the lock operations at boot (Kernel/Core/Sync/ObjectLocks.cs: a
// sleeping kernel Mutex per locked object, re-entrant like the BCL's). Before that the kernel is one thread in early
// boot and a lock has nothing to exclude.
using Internal.Runtime;

namespace System.Threading
{
    public static class Monitor
    {
        public static void Enter(object obj)
        {
            if (obj is null)
                throw new ArgumentNullException(nameof(obj));
            MonitorHooks.Enter(obj);
        }

        public static void Enter(object obj, ref bool lockTaken)
        {
            if (lockTaken)
                throw new ArgumentException("The lockTaken argument must be false.", nameof(lockTaken));
            Enter(obj);
            lockTaken = true;
        }

        public static bool TryEnter(object obj)
        {
            if (obj is null)
                throw new ArgumentNullException(nameof(obj));
            return MonitorHooks.TryEnter(obj);
        }

        public static void TryEnter(object obj, ref bool lockTaken)
        {
            if (lockTaken)
                throw new ArgumentException("The lockTaken argument must be false.", nameof(lockTaken));
            lockTaken = TryEnter(obj);
        }

        public static void Exit(object obj)
        {
            if (obj is null)
                throw new ArgumentNullException(nameof(obj));
            if (!MonitorHooks.Exit(obj))
                throw new SynchronizationLockException();
        }

        public static bool IsEntered(object obj)
        {
            if (obj is null)
                throw new ArgumentNullException(nameof(obj));
            return MonitorHooks.IsEntered(obj);
        }
    }

    public class SynchronizationLockException : SystemException
    {
        public SynchronizationLockException() : base("Object synchronization method was called from an unsynchronized block of code.") { }
        public SynchronizationLockException(string message) : base(message) { }
    }
}
