// DriverWorld.cs -- a driver's deferred work: the interrupt handler (top half) only moves bytes off the device
// and calls Signal(); the driver world (bottom half) wakes and does the rest with interrupts on, scheduled like
// any other world in host/system/drivers. Signals are never lost: the event stays set until the world runs.
using Kernel.Resources;
using Kernel.Sync;

namespace Kernel.Worlds
{
    public sealed unsafe class DriverWorld
    {
        private readonly Event _pending = new Event();
        private readonly delegate*<void> _work;

        public World World { get; private set; }
        public ulong Runs { get; private set; }

        private DriverWorld(delegate*<void> work) => _work = work;

        /// <summary>Starts `driver-NAME`; null (logged) if it could not be created.</summary>
        public static DriverWorld Start(string name, delegate*<void> work)
        {
            Scheduler.Groups.AddPath("host/system/drivers", out ResourceGroup group);
            var driver = new DriverWorld(work);
            driver.World = Scheduler.Spawn(string.Concat("driver-", name), WorldType.System | WorldType.Driver | WorldType.Critical, group, &Loop, driver);
            return driver.World == null ? null : driver;
        }

        /// <summary>From an interrupt handler: run the bottom half soon.</summary>
        public void Signal() => _pending.Set();

        private static void Loop(object argument)
        {
            var driver = (DriverWorld)argument;
            while (true)
            {
                driver._pending.Wait();
                driver.Runs++;
                driver._work();
            }
        }
    }
}
