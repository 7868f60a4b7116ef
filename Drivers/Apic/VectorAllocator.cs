// VectorAllocator.cs -- hands out interrupt vectors for message-signalled (MSI/MSI-X) device interrupts. ISA IRQs
// keep 32 + IRQ (0x20-0x2F), the local APIC keeps its timer (0xEF), IPIs and error/spurious vectors (0xF0-0xFF);
// devices get 0x40-0xDF, lowest first, each with the APIC ID of the CPU it is sent to. The destination is recorded
// so the SMP work can spread vectors over CPUs later; today every caller passes the boot CPU's ID.
//
// Pure logic (a bitmap), host-tested; callers that take vectors at boot and from driver worlds serialize through
// the lock-free single-writer rule: only boot code and driver start-up allocate, one at a time.
namespace Drivers.Apic
{
    public sealed class VectorAllocator
    {
        public const int FirstDeviceVector = 0x40, LastDeviceVector = 0xDF;

        private readonly bool[] _used = new bool[LastDeviceVector - FirstDeviceVector + 1];
        private readonly uint[] _destination = new uint[LastDeviceVector - FirstDeviceVector + 1];

        /// <summary>The allocator the kernel's drivers share.</summary>
        public static VectorAllocator Devices { get; } = new VectorAllocator();

        public int InUse { get; private set; }

        /// <summary>A free device vector aimed at <paramref name="destinationApicId"/>, or -1 when all are taken.</summary>
        public int Allocate(uint destinationApicId)
        {
            for (int i = 0; i < _used.Length; i++)
            {
                if (_used[i])
                    continue;
                _used[i] = true;
                _destination[i] = destinationApicId;
                InUse++;
                return FirstDeviceVector + i;
            }
            return -1;
        }

        /// <summary>Gives a vector back; false (and nothing changes) for one that is not a device vector in use.</summary>
        public bool Free(int vector)
        {
            int i = vector - FirstDeviceVector;
            if ((uint)i >= (uint)_used.Length || !_used[i])
                return false;
            _used[i] = false;
            InUse--;
            return true;
        }

        public bool IsAllocated(int vector)
        {
            int i = vector - FirstDeviceVector;
            return (uint)i < (uint)_used.Length && _used[i];
        }

        /// <summary>The APIC ID an allocated vector is sent to (0 for one not in use).</summary>
        public uint DestinationOf(int vector)
        {
            int i = vector - FirstDeviceVector;
            return (uint)i < (uint)_used.Length && _used[i] ? _destination[i] : 0;
        }
    }
}
