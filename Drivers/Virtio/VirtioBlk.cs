// VirtioBlk.cs -- virtio-blk over virtio 1.x PCI (modern: the common configuration through capabilities; QEMU's
// virtio-blk-pci, transitional 1af4:1001 or modern-only 1af4:1042). Each disk becomes adapter vmhbaN with the device
// mpx.vmhbaN:C0:T0:L0, as ESXi names local disks without a unique ID. The block layer (BlockDevice) checks and splits
// requests; this file turns one piece into a virtqueue request.
//
// Completion comes by interrupt: queue 0 raises MSI-X entry 0 (no configuration-change vector), DiskInterrupt wakes
// the requesting world through the disk's driver world; before the scheduler runs, or without MSI-X, the request
// polls the used ring (DiskInterrupt's documented fallback). Either way a request not returned within a second fails
// with Timeout and the block layer marks the device failed, so a dead disk never hangs a world.
// One request is in flight at a time; callers serialize (see BlockDevice).
//
// Bring-up (virtio 1.2, 3.1.1): reset, ACKNOWLEDGE | DRIVER, accept VIRTIO_F_VERSION_1 plus VIRTIO_BLK_F_RO (the
// medium is read-only: writes are refused above the driver) and VIRTIO_BLK_F_FLUSH (the device has a write cache and
// takes T_FLUSH) when offered, FEATURES_OK (checked), queue 0 at 16 entries, DRIVER_OK. A request (5.2.6) is the
// header {type: 0 T_IN, 1 T_OUT, 4 T_FLUSH; reserved; sector}, the data (device-writable for reads, device-readable
// for writes, absent for a flush) and the status byte (device-writable: 0 ok, 1 I/O error, 2 unsupported).
using Drivers.Block;
using Drivers.Pci;
using Kernel.Arch;
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Time;

namespace Drivers.Virtio
{
    public sealed unsafe class VirtioBlk : BlockDevice
    {
        private const ushort VendorVirtio = 0x1AF4, TransitionalBlk = 0x1001, ModernBlk = 0x1042;
        private const byte StatusAcknowledge = 1, StatusDriver = 2, StatusDriverOk = 4, StatusFeaturesOk = 8;
        private const int SectorBytes = 512, BounceSectors = 8;
        private const uint FeatureReadOnly = 1u << 5, FeatureFlush = 1u << 9;   // feature word 0
        private const uint RequestIn = 0, RequestOut = 1, RequestFlush = 4;

        // Common configuration offsets (virtio 1.2, 4.1.4.3).
        private const int MsixConfigVector = 16, NoVector = 0xFFFF;
        private const int DeviceFeatureSelect = 0, DeviceFeature = 4, DriverFeatureSelect = 8, DriverFeature = 12;
        private const int DeviceStatus = 20, QueueSelect = 22, QueueSize = 24, QueueMsixVector = 26, QueueEnable = 28;
        private const int QueueNotifyOff = 30, QueueDesc = 32, QueueDriver = 40, QueueDevice = 48;

        private byte* _common;
        private ushort* _notify;
        private SplitVirtqueue _queue;
        private ulong _requestPage;   // header at 0, status byte at 16
        private ulong _bounce;        // BounceSectors sectors of data
        private DiskInterrupt _interrupt;

        public override int MaxSectorsPerRequest => BounceSectors;

        /// <summary>Claims every virtio-blk function, brings it up, and registers its disk.</summary>
        public static void ProbeAll(IPciConfigSpace config, System.Collections.Generic.List<PciFunction> functions)
        {
            for (int i = 0; i < functions.Count; i++)
            {
                PciFunction f = functions[i];
                if (f.VendorId != VendorVirtio || (f.DeviceId != TransitionalBlk && f.DeviceId != ModernBlk) || f.Driver != null)
                    continue;
                string where = PciSystem.Address(f);
                var caps = VirtioPciCapabilities.Find(config, f);
                if (!caps.Complete)
                {
                    Log.Warning("virtio-blk", string.Concat(where, ": no virtio 1.x capabilities (legacy-only device); not claimed"));
                    continue;
                }
                var disk = new VirtioBlk();
                string problem = disk.Start(config, f, caps);
                if (problem != null)
                {
                    Log.Warning("virtio-blk", string.Concat(where, ": ", problem, "; not claimed"));
                    continue;
                }
                f.Driver = "virtio_blk";
                disk._interrupt.Name = disk.Adapter;
                BlockDevices.Add(disk);
                Log.Info("virtio-blk", string.Concat(
                    string.Concat(where, " is ", disk.Adapter, ": "),
                    string.Concat(disk.Name, ", ", disk.SectorCount.ToString()),
                    string.Concat(" sectors of 512 bytes (", (disk.SectorCount / 2048).ToString(), " MiB)"),
                    disk.IsReadOnly ? ", read-only" : disk.CanFlush ? ", write cache" : "",
                    string.Concat(", completion by ", disk._interrupt.Describe())));
            }
        }

        private string Start(IPciConfigSpace config, PciFunction f, VirtioPciCapabilities caps)
        {
            _common = Map(f, caps.Common);
            byte* notifyBase = Map(f, caps.Notify);
            byte* device = Map(f, caps.Device);
            if (_common == null || notifyBase == null || device == null)
                return "a capability points outside its BAR";
            // Memory decoding and bus mastering: the device reads and writes the rings and buffers itself.
            uint command = config.Read32(f.Bus, f.Device, f.Function, 0x04);
            config.Write32(f.Bus, f.Device, f.Function, 0x04, (command | 0x6) & 0xFFFF);

            _common[DeviceStatus] = 0;
            ulong deadline = Cpu.ReadTimestampCounter() + Clock.TscHz;
            while (_common[DeviceStatus] != 0)
            {
                if (Cpu.ReadTimestampCounter() > deadline)
                    return "reset did not complete";
                Cpu.Pause();
            }
            _common[DeviceStatus] = StatusAcknowledge | StatusDriver;
            *(uint*)(_common + DeviceFeatureSelect) = 1;
            if ((*(uint*)(_common + DeviceFeature) & 1) == 0)
                return "no VIRTIO_F_VERSION_1";
            *(uint*)(_common + DeviceFeatureSelect) = 0;
            uint accepted = *(uint*)(_common + DeviceFeature) & (FeatureReadOnly | FeatureFlush);
            *(uint*)(_common + DriverFeatureSelect) = 0;
            *(uint*)(_common + DriverFeature) = accepted;
            *(uint*)(_common + DriverFeatureSelect) = 1;
            *(uint*)(_common + DriverFeature) = 1;   // VERSION_1, nothing else
            _common[DeviceStatus] = StatusAcknowledge | StatusDriver | StatusFeaturesOk;
            if ((_common[DeviceStatus] & StatusFeaturesOk) == 0)
                return "features refused";

            *(ushort*)(_common + QueueSelect) = 0;
            ushort max = *(ushort*)(_common + QueueSize);
            if (max == 0)
                return "no request queue";
            _queue = SplitVirtqueue.Create();
            _requestPage = PhysicalMemory.AllocatePage();
            _bounce = PhysicalMemory.AllocatePages(BounceSectors * SectorBytes / PhysicalMemory.PageSize);
            if (_queue == null || _requestPage == 0 || _bounce == 0)
                return "out of memory for the queue";
            *(ushort*)(_common + QueueSize) = max < SplitVirtqueue.Size ? max : SplitVirtqueue.Size;
            // MSI-X entry 0 for the queue (read back: a device that cannot map it says NO_VECTOR, and we poll).
            _interrupt = DiskInterrupt.Setup(config, f, 0);
            *(ushort*)(_common + MsixConfigVector) = NoVector;
            *(ushort*)(_common + QueueMsixVector) = _interrupt.Kind == "MSI-X" ? (ushort)0 : (ushort)NoVector;
            if (_interrupt.Kind == "MSI-X" && *(ushort*)(_common + QueueMsixVector) != 0)
                _interrupt.GiveUp();
            Write64(QueueDesc, _queue.DescriptorTable);
            Write64(QueueDriver, _queue.DriverRing);
            Write64(QueueDevice, _queue.DeviceRing);
            ushort notifyOff = *(ushort*)(_common + QueueNotifyOff);
            ulong notifyAt = (ulong)notifyOff * caps.NotifyOffMultiplier;
            if (notifyAt + 2 > caps.Notify.Length)
                return "notification address outside its region";
            _notify = (ushort*)(notifyBase + notifyAt);
            *(ushort*)(_common + QueueEnable) = 1;
            _common[DeviceStatus] = StatusAcknowledge | StatusDriver | StatusFeaturesOk | StatusDriverOk;

            SectorCount = *(uint*)device | (ulong)*(uint*)(device + 4) << 32;
            IsReadOnly = (accepted & FeatureReadOnly) != 0;
            CanFlush = (accepted & FeatureFlush) != 0;
            Adapter = BlockDevices.NextAdapterName();
            Name = string.Concat("mpx.", Adapter, ":C0:T0:L0");
            return null;
        }

        protected override BlockStatus Submit(BlockOperation operation, ulong lba, int count, byte* buffer)
        {
            byte* request = (byte*)DirectMap.Pointer(_requestPage);
            *(uint*)request = operation == BlockOperation.Read ? RequestIn : operation == BlockOperation.Write ? RequestOut : RequestFlush;
            *(uint*)(request + 4) = 0;
            *(ulong*)(request + 8) = lba;   // in 512-byte units whatever the block size
            request[16] = 0xFF;
            uint bytes = (uint)(count * SectorBytes);
            if (operation == BlockOperation.Flush)
            {
                _queue.SetDescriptor(0, _requestPage, 16, SplitVirtqueue.FlagNext, 2);
            }
            else
            {
                if (operation == BlockOperation.Write)
                    System.Buffer.MemoryCopy(buffer, DirectMap.Pointer(_bounce), bytes, bytes);
                ushort dataFlags = operation == BlockOperation.Read ? (ushort)(SplitVirtqueue.FlagNext | SplitVirtqueue.FlagWrite) : SplitVirtqueue.FlagNext;
                _queue.SetDescriptor(0, _requestPage, 16, SplitVirtqueue.FlagNext, 1);
                _queue.SetDescriptor(1, _bounce, bytes, dataFlags, 2);
            }
            _queue.SetDescriptor(2, _requestPage + 16, 1, SplitVirtqueue.FlagWrite, 0);
            _queue.Offer(0);
            *_notify = 0;                   // queue 0
            ulong deadline = Cpu.ReadTimestampCounter() + Clock.TscHz;
            while (!_queue.TakeUsed())
            {
                if (!_interrupt.Wait(deadline))
                {
                    Log.Warning("virtio-blk", string.Concat(Name, ": a request did not complete in 1 s; the device is marked failed"));
                    return BlockStatus.Timeout;
                }
            }
            if (request[16] == 2)
                return BlockStatus.Unsupported;
            if (request[16] != 0)
                return BlockStatus.IoError;
            if (operation == BlockOperation.Read)
                System.Buffer.MemoryCopy(DirectMap.Pointer(_bounce), buffer, bytes, bytes);
            return BlockStatus.Ok;
        }

        private void Write64(int offset, ulong value)
        {
            *(uint*)(_common + offset) = (uint)value;
            *(uint*)(_common + offset + 4) = (uint)(value >> 32);
        }

        // A capability's region, mapped uncached, or null when it does not lie inside an implemented memory BAR.
        private static byte* Map(PciFunction f, VirtioRegion region)
        {
            if ((uint)region.Bar >= (uint)f.Bars.Length)
                return null;
            PciBar bar = f.Bars[region.Bar];
            if (bar.IsIo || bar.Size == 0 || region.Offset > bar.Size || region.Length > bar.Size - region.Offset)
                return null;
            byte* b = (byte*)Paging.MapDevice(bar.Address, bar.Size);
            return b + region.Offset;
        }
    }
}
