// WorldType.cs -- world type flags, with ESXi's values (SYSTEM 0x01, IDLE 0x02, USER 0x04, VMM 0x08,
// HELPER 0x10, CLONE 0x20); driver worlds are SYSTEM worlds that serve a device.
namespace Kernel.Worlds
{
    [System.Flags]
    public enum WorldType : uint
    {
        System = 0x01,
        Idle = 0x02,
        User = 0x04,
        Vmm = 0x08,
        Helper = 0x10,
        Clone = 0x20,
        Driver = 0x100,   // ours: a SYSTEM world doing a driver's deferred work
        Critical = 0x200, // ours: the host needs it (console drivers, the log writer, cron): `kill` refuses it
    }

    public enum WorldState
    {
        Ready,
        Running,
        Waiting,
        Sleeping,
        Dead,
    }
}
