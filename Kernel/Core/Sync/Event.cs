// Event.cs -- a signal worlds wait for. Auto-reset events release one waiter per Set (and stay set if nobody
// waits, so a Set before the Wait is never lost); manual-reset events release everyone until Reset.
// Set is safe from interrupt handlers.

namespace Kernel.Sync
{
    public sealed class Event
    {
        private readonly WaitQueue _waiters = new WaitQueue();
        private readonly bool _manualReset;
        private bool _signaled;

        public Event(bool manualReset = false) => _manualReset = manualReset;

        public bool IsSet => _signaled;

        public void Set()
        {
            ulong flags = SchedulerLock.Enter();
            _signaled = true;
            if (_manualReset)
                _waiters.WakeAll();
            else if (_waiters.WakeOne())
                _signaled = false;
            SchedulerLock.Exit(flags);
        }

        public void Reset() => _signaled = false;

        /// <summary>Waits until set; false on timeout (ticks; 0 = forever).</summary>
        public bool Wait(ulong timeoutTicks = 0)
        {
            ulong flags = SchedulerLock.Enter();
            bool ok = true;
            if (_signaled)
            {
                if (!_manualReset)
                    _signaled = false;
            }
            else
            {
                // An auto-reset Set hands the signal straight to the woken waiter (it never stays set).
                ok = _waiters.Wait(timeoutTicks);
            }
            SchedulerLock.Exit(flags);
            return ok;
        }
    }
}
