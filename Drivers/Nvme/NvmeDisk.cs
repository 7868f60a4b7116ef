// NvmeDisk.cs -- NVMe over PCI (class 01:08:02; QEMU's `-device nvme`): namespace 1 of each controller becomes
// adapter vmhbaN with the device mpx.vmhbaN:C0:T0:L0. The block layer (BlockDevice) checks and splits requests; this
// file turns one piece into an I/O command.
//
// Bring-up (NVMe base specification 1.4, 7.6.1): memory decoding and bus mastering on, CC.EN cleared and CSTS.RDY
// awaited at 0, the admin queues (one page each, 64-byte submission and 16-byte completion entries) placed through
// AQA/ASQ/ACQ, CC.EN set with 4 KiB pages and CSTS.RDY awaited at 1 (within CAP.TO, bounded). Then, by admin commands
// polled to completion: IDENTIFY controller (model, serial, a volatile write cache), IDENTIFY namespace 1 (size and
// the formatted LBA size), and one I/O completion queue (interrupt vector: MSI-X entry 0) and submission queue.
//
// Requests: READ (0x02), WRITE (0x01), FLUSH (0x00) on I/O queue 1, data through a one-page bounce buffer named by
// PRP1 (so a request is at most a page: no PRP lists). A completion is the entry whose phase tag matches the pass we
// are on; the head doorbell then gives the slot back. Completion by interrupt with the polling fallback and the 1 s
// timeout come from DiskInterrupt, as for virtio-blk. One command is in flight at a time; callers serialize.
using Drivers.Block;
using Drivers.Pci;
using Kernel.Arch;
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Time;

namespace Drivers.Nvme
{
    public sealed unsafe class NvmeDisk : BlockDevice
    {
        private const byte ClassStorage = 0x01, SubclassNvm = 0x08, ProgIfNvme = 0x02;
        private const int Cap = 0x00, Cc = 0x14, Csts = 0x1C, Aqa = 0x24, Asq = 0x28, Acq = 0x30, Doorbells = 0x1000;
        private const uint CcEnable = 1, CcIoQueueEntrySizes = 6u << 16 | 4u << 20;   // 2^6-byte SQ, 2^4-byte CQ entries
        private const uint CstsReady = 1, CstsFatal = 2;
        private const int QueueEntries = 16, SubmissionBytes = 64, CompletionBytes = 16;
        private const byte AdminIdentify = 0x06, AdminCreateIoCq = 0x05, AdminCreateIoSq = 0x01;
        private const byte IoFlush = 0x00, IoWrite = 0x01, IoRead = 0x02;

        private byte* _registers;
        private uint _doorbellStride;
        private Queue _admin, _io;
        private ulong _bounce;                  // one page: the data of one request, and IDENTIFY's answers
        private DiskInterrupt _interrupt;
        private ushort _commandId;

        public string Model { get; private set; }

        public override int MaxSectorsPerRequest => (int)PhysicalMemory.PageSize / SectorSize;

        // A submission and completion queue pair: the tail we write, the head and phase we read.
        private struct Queue
        {
            public int Id;
            public ulong Submissions, Completions;   // physical pages
            public int Tail, Head;
            public bool Phase;
        }

        /// <summary>Claims every NVMe controller, brings it up, and registers namespace 1 as a disk.</summary>
        public static void ProbeAll(IPciConfigSpace config, System.Collections.Generic.List<PciFunction> functions)
        {
            for (int i = 0; i < functions.Count; i++)
            {
                PciFunction f = functions[i];
                if (f.ClassCode != ClassStorage || f.Subclass != SubclassNvm || f.ProgIf != ProgIfNvme || f.Driver != null)
                    continue;
                string where = PciSystem.Address(f);
                var disk = new NvmeDisk();
                string problem = disk.Start(config, f);
                if (problem != null)
                {
                    Log.Warning("nvme", string.Concat(where, ": ", problem, "; not claimed"));
                    continue;
                }
                f.Driver = "nvme";
                BlockDevices.Add(disk);
                Log.Info("nvme", string.Concat(
                    string.Concat(where, " is ", disk.Adapter, ": ", disk.Name),
                    string.Concat(" '", disk.Model, "', ", disk.SectorCount.ToString()),
                    string.Concat(" sectors of ", disk.SectorSize.ToString(), " bytes (", (disk.SectorCount * (ulong)disk.SectorSize >> 20).ToString(), " MiB)"),
                    string.Concat(disk.CanFlush ? ", write cache" : "", ", completion by ", disk._interrupt.Describe())));
            }
        }

        private string Start(IPciConfigSpace config, PciFunction f)
        {
            if (f.Bars.Length == 0 || f.Bars[0].IsIo || f.Bars[0].Size < 0x2000)
                return "BAR0 is not a register window";
            _registers = (byte*)Paging.MapDevice(f.Bars[0].Address, f.Bars[0].Size);
            uint command = config.Read32(f.Bus, f.Device, f.Function, 0x04);
            config.Write32(f.Bus, f.Device, f.Function, 0x04, (command | 0x6) & 0xFFFF);

            ulong cap = Read64(Cap);
            _doorbellStride = 4u << (int)(cap >> 32 & 0xF);
            if ((cap >> 37 & 1) == 0)
                return "no NVM command set";
            if ((cap & 0xFFFF) + 1 < 2)
                return "queues too short";
            // CAP.TO is in 500 ms units; bounded so a lying controller cannot stall the boot for two minutes.
            ulong timeoutMs = (cap >> 24 & 0xFF) * 500;
            timeoutMs = timeoutMs < 500 ? 500 : timeoutMs > 10_000 ? 10_000 : timeoutMs;

            Write32(Cc, Read32(Cc) & ~CcEnable);
            if (!WaitReady(false, timeoutMs))
                return "the controller did not stop (CSTS.RDY stays 1)";
            _admin = NewQueue(0);
            _io = NewQueue(1);
            _bounce = PhysicalMemory.AllocatePage();
            if (_admin.Submissions == 0 || _admin.Completions == 0 || _io.Submissions == 0 || _io.Completions == 0 || _bounce == 0)
                return "out of memory for the queues";
            Write32(Aqa, (uint)(QueueEntries - 1) << 16 | (uint)(QueueEntries - 1));
            Write64(Asq, _admin.Submissions);
            Write64(Acq, _admin.Completions);
            Write32(Cc, CcIoQueueEntrySizes | CcEnable);   // NVM command set, 4 KiB pages, round robin
            if (!WaitReady(true, timeoutMs))
                return (Read32(Csts) & CstsFatal) != 0 ? "controller fatal status at enable" : "the controller did not become ready";

            // Before the scheduler: admin commands poll (DiskInterrupt's fallback), and the vector stays masked.
            _interrupt = DiskInterrupt.Setup(config, f, 0);
            if (Admin(AdminIdentify, 0, 1, 0) != 0)
                return "IDENTIFY controller failed";
            byte* id = (byte*)DirectMap.Pointer(_bounce);
            Model = Text(id + 24, 40);
            CanFlush = (id[525] & 1) != 0;                       // VWC: a volatile write cache
            if (Admin(AdminIdentify, 1, 0, 0) != 0)
                return "IDENTIFY namespace 1 failed (no namespace?)";
            ulong size = *(ulong*)id;
            int format = id[26] & 0xF;
            int lbaShift = id[128 + format * 4 + 2];
            if (size == 0)
                return "namespace 1 is empty";
            if (lbaShift < 9 || lbaShift > 12)
                return string.Concat("unsupported sector size 2^", lbaShift.ToString());
            SectorCount = size;
            SectorSize = 1 << lbaShift;

            // I/O completion queue 1: physically contiguous, interrupts on through MSI-X entry 0 (IV 0).
            uint interrupts = _interrupt.Vector >= 0 ? 1u << 1 : 0u;
            if (Admin(AdminCreateIoCq, 1, (uint)(QueueEntries - 1) << 16 | 1, 1 | interrupts, _io.Completions) != 0)
                return "creating the I/O completion queue failed";
            if (Admin(AdminCreateIoSq, 1, (uint)(QueueEntries - 1) << 16 | 1, 1u << 16 | 1, _io.Submissions) != 0)
                return "creating the I/O submission queue failed";

            Adapter = BlockDevices.NextAdapterName();
            Name = string.Concat("mpx.", Adapter, ":C0:T0:L0");
            _interrupt.Name = Adapter;
            return null;
        }

        protected override BlockStatus Submit(BlockOperation operation, ulong lba, int count, byte* buffer)
        {
            uint bytes = (uint)(count * SectorSize);
            if (operation == BlockOperation.Write)
                System.Buffer.MemoryCopy(buffer, DirectMap.Pointer(_bounce), bytes, bytes);
            byte opcode = operation == BlockOperation.Read ? IoRead : operation == BlockOperation.Write ? IoWrite : IoFlush;
            uint* entry = Place(ref _io, opcode, 1);
            if (operation != BlockOperation.Flush)
            {
                *(ulong*)(entry + 6) = _bounce;                 // PRP1
                entry[10] = (uint)lba;
                entry[11] = (uint)(lba >> 32);
                entry[12] = (uint)(count - 1);                   // NLB is zero-based
            }
            int status = Run(ref _io, Cpu.ReadTimestampCounter() + Clock.TscHz);
            if (status < 0)
            {
                Log.Warning("nvme", string.Concat(Name, ": a request did not complete in 1 s; the device is marked failed"));
                return BlockStatus.Timeout;
            }
            if (status != 0)
            {
                Log.Warning("nvme", string.Concat(Name, ": command 0x", ((ulong)opcode).ToString("X"), " failed with status 0x", ((ulong)status).ToString("X")));
                return status == 0x01 ? BlockStatus.Unsupported : BlockStatus.IoError;   // generic: invalid opcode
            }
            if (operation == BlockOperation.Read)
                System.Buffer.MemoryCopy(DirectMap.Pointer(_bounce), buffer, bytes, bytes);
            return BlockStatus.Ok;
        }

        // An admin command with CDW10/CDW11 (and PRP1: the bounce page unless given), run to completion. Returns the
        // status field (0 = success), or -1 on timeout.
        private int Admin(byte opcode, uint namespaceId, uint cdw10, uint cdw11, ulong prp1 = 0)
        {
            uint* entry = Place(ref _admin, opcode, namespaceId);
            *(ulong*)(entry + 6) = prp1 != 0 ? prp1 : _bounce;
            entry[10] = cdw10;
            entry[11] = cdw11;
            return Run(ref _admin, Cpu.ReadTimestampCounter() + Clock.TscHz);
        }

        // Zeroes the next submission slot and fills its opcode, command ID and namespace.
        private uint* Place(ref Queue q, byte opcode, uint namespaceId)
        {
            uint* entry = (uint*)((byte*)DirectMap.Pointer(q.Submissions) + q.Tail * SubmissionBytes);
            for (int i = 0; i < SubmissionBytes / 4; i++)
                entry[i] = 0;
            entry[0] = opcode | (uint)++_commandId << 16;
            entry[1] = namespaceId;
            return entry;
        }

        // Rings the tail doorbell and waits for the completion with our phase tag; gives the slot back through the head
        // doorbell. Returns the status field (bits 17-31 of DW3 without the phase), or -1 on timeout.
        private int Run(ref Queue q, ulong deadline)
        {
            q.Tail = (q.Tail + 1) % QueueEntries;
            Write32(Doorbells + (int)(2 * q.Id * _doorbellStride), (uint)q.Tail);
            uint* completion = (uint*)((byte*)DirectMap.Pointer(q.Completions) + q.Head * CompletionBytes);
            while (((Volatile(completion + 3) >> 16 & 1) != 0) != q.Phase)
            {
                // Admin commands run at bring-up, before the disk's vector is live: Wait polls for them.
                if (!_interrupt.Wait(deadline))
                    return -1;
            }
            int status = (int)(Volatile(completion + 3) >> 17);
            q.Head = (q.Head + 1) % QueueEntries;
            if (q.Head == 0)
                q.Phase = !q.Phase;
            Write32(Doorbells + (int)((2 * q.Id + 1) * _doorbellStride), (uint)q.Head);
            return status;
        }

        // The device writes completions behind the compiler's back; every read in the wait loop goes to memory (the
        // loop calls out, so the read is never hoisted).
        private static uint Volatile(uint* p) => *p;

        private static Queue NewQueue(int id)
        {
            var q = new Queue { Id = id, Phase = true, Submissions = PhysicalMemory.AllocatePage(), Completions = PhysicalMemory.AllocatePage() };
            if (q.Completions != 0)
                new System.Span<byte>(DirectMap.Pointer(q.Completions), (int)PhysicalMemory.PageSize).Clear();   // phase tags 0
            return q;
        }

        private bool WaitReady(bool ready, ulong timeoutMs)
        {
            ulong deadline = Cpu.ReadTimestampCounter() + Clock.TscHz / 1000 * timeoutMs;
            while (((Read32(Csts) & CstsReady) != 0) != ready)
            {
                if (Cpu.ReadTimestampCounter() > deadline || (ready && (Read32(Csts) & CstsFatal) != 0))
                    return false;
                Cpu.Pause();
            }
            return true;
        }

        // IDENTIFY's strings are ASCII padded with spaces.
        private static string Text(byte* p, int length)
        {
            while (length > 0 && (p[length - 1] == ' ' || p[length - 1] == 0))
                length--;
            var chars = new char[length];
            for (int i = 0; i < length; i++)
                chars[i] = p[i] >= 0x20 && p[i] < 0x7F ? (char)p[i] : '?';
            return new string(chars);
        }

        private uint Read32(int offset) => *(uint*)(_registers + offset);
        private void Write32(int offset, uint value) => *(uint*)(_registers + offset) = value;
        private ulong Read64(int offset) => Read32(offset) | (ulong)Read32(offset + 4) << 32;
        private void Write64(int offset, ulong value)
        {
            Write32(offset, (uint)value);
            Write32(offset + 4, (uint)(value >> 32));
        }
    }
}
