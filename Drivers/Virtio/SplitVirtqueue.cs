// SplitVirtqueue.cs -- one virtio split virtqueue of 16 entries in a single zeroed page (physical for the device, seen through the direct map): the
// descriptor table at 0 (16 x 16 bytes), the driver ("available") ring at 256, the device ("used") ring at 1024
// (virtio 1.2, 2.7: alignments 16, 2 and 4 are met). The driver keeps one request in flight, so descriptors 0..2 are
// reused for every request and no free list is needed.
using Kernel.Arch;
using Kernel.Memory;

namespace Drivers.Virtio
{
    public sealed unsafe class SplitVirtqueue
    {
        public const ushort Size = 16;
        public const ushort FlagNext = 1, FlagWrite = 2;
        private const int AvailOffset = 256, UsedOffset = 1024;

        public ulong Page { get; }
        public ulong DescriptorTable => Page;
        public ulong DriverRing => Page + AvailOffset;
        public ulong DeviceRing => Page + UsedOffset;

        private ushort _lastUsed;

        private SplitVirtqueue(ulong page)
        {
            Page = page;
        }

        public static SplitVirtqueue Create()
        {
            ulong page = PhysicalMemory.AllocatePage();   // zeroed
            return page == 0 ? null : new SplitVirtqueue(page);
        }

        public void SetDescriptor(int index, ulong address, uint length, ushort flags, ushort next)
        {
            byte* d = (byte*)DirectMap.Pointer(Page) + index * 16;
            *(ulong*)d = address;
            *(uint*)(d + 8) = length;
            *(ushort*)(d + 12) = flags;
            *(ushort*)(d + 14) = next;
        }

        /// <summary>Offers the chain starting at <paramref name="head"/> to the device (the caller then notifies).</summary>
        public void Offer(ushort head)
        {
            ushort* avail = (ushort*)DirectMap.Pointer(Page + AvailOffset);
            ushort index = avail[1];
            avail[2 + index % Size] = head;
            // The descriptors and the ring entry must be in memory before the index that publishes them. x86 keeps
            // stores in order; the external call keeps the compiler from moving the index store up.
            Cpu.Pause();
            avail[1] = (ushort)(index + 1);
            Cpu.Pause();
        }

        /// <summary>True once the device has returned a chain since the last call (and consumes it).</summary>
        public bool TakeUsed()
        {
            ushort* used = (ushort*)DirectMap.Pointer(Page + UsedOffset);
            if (used[1] == _lastUsed)
                return false;
            _lastUsed++;
            return true;
        }
    }
}
